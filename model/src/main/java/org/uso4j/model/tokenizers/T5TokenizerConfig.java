package org.uso4j.model.tokenizers;

/**
 * transformers {@code T5Tokenizer} settings (tokenization_t5.py, 4.43).
 *
 * @param legacy         {@code legacy}: true when tokenizer_config.json has no "legacy" key (google/t5-v1_1-xxl),
 *                       false for FLUX.1-dev's tokenizer_2; differs only right after special-token literals
 * @param addPrefixSpace {@code add_prefix_space} (non-legacy only), default true
 * @param extraIds       number of {@code <extra_id_N>} sentinels, default 100 (ids {@code spSize-1+extraIds-N})
 * @param maxLength      truncation / padding length; USO uses 512
 */
public record T5TokenizerConfig(boolean legacy, boolean addPrefixSpace, int extraIds, int maxLength) {
    public T5TokenizerConfig {
        if (extraIds < 0) throw new IllegalArgumentException("extraIds must be >= 0, got " + extraIds);
        if (maxLength < 1) throw new IllegalArgumentException("maxLength must be >= 1, got " + maxLength);
    }

    /** What USO gets for T5 v1.1 XXL: legacy, 100 extra ids, padded to 512. */
    public static T5TokenizerConfig uso() { return new T5TokenizerConfig(true, true, 100, 512); }

    public T5TokenizerConfig withLegacy(boolean l) { return new T5TokenizerConfig(l, addPrefixSpace, extraIds, maxLength); }
    public T5TokenizerConfig withMaxLength(int m) { return new T5TokenizerConfig(legacy, addPrefixSpace, extraIds, m); }
}
