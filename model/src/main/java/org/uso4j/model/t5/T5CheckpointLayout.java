package org.uso4j.model.t5;

import java.util.List;
import org.uso4j.core.io.WeightStore;

/**
 * The checkpoint layouts the T5 encoder loads from, each saying which tensors are not part of the encoder and
 * are deliberately left unused. Everything else must be taken by the encoder (strict loading).
 */
enum T5CheckpointLayout {
    /**
     * {@code T5EncoderModel.save_pretrained} ({@code xlabs-ai/xflux_text_encoders}, FLUX's text_encoder_2) and
     * ComfyUI's {@code t5xxl_*.safetensors}: {@code shared.weight} (optionally its tied copy
     * {@code encoder.embed_tokens.weight}) and {@code encoder.*}.
     */
    ENCODER(List.of(), List.of()),
    /** A whole {@code T5ForConditionalGeneration}: the decoder and the LM head are not part of the encoder. */
    CONDITIONAL_GENERATION(List.of("decoder."), List.of("lm_head.weight"));

    private final List<String> foreignPrefixes;
    private final List<String> foreignKeys;

    T5CheckpointLayout(List<String> foreignPrefixes, List<String> foreignKeys) {
        this.foreignPrefixes = foreignPrefixes;
        this.foreignKeys = foreignKeys;
    }

    static T5CheckpointLayout detect(WeightStore store) {
        for (String k : store.keys()) {
            if (CONDITIONAL_GENERATION.isForeign(k)) return CONDITIONAL_GENERATION;
        }
        return ENCODER;
    }

    boolean isForeign(String key) {
        return foreignKeys.contains(key) || foreignPrefixes.stream().anyMatch(key::startsWith);
    }

    /** Marks this layout's foreign tensors as deliberately unused. */
    void skipForeign(WeightStore store) {
        for (String k : List.copyOf(store.keys())) if (isForeign(k)) store.skip(k);
    }
}
