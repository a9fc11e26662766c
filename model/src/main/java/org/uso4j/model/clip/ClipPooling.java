package org.uso4j.model.clip;

/**
 * Where {@code CLIPTextTransformer} takes pooler_output from (transformers 4.43), chosen by the config's
 * {@code eos_token_id}. For tokenizer output both give the first eos; they differ only for rows without one.
 * Ids are compared as int32 ({@code input_ids.to(torch.int)}), like the reference.
 */
public enum ClipPooling {
    /** Legacy configs ({@code eos_token_id == 2}, the real CLIP-L): the first position of the largest id. */
    ARGMAX_ID,
    /** The first position holding {@code eos_token_id}; 0 if the row has none (argmax of all zeros). */
    FIRST_EOS;

    /** The pooling position of one row of ids. */
    public int position(long[] ids, int eosTokenId) {
        return this == ARGMAX_ID ? argmax(ids) : firstEos(ids, eosTokenId);
    }

    private static int argmax(long[] ids) {
        int best = 0;
        for (int i = 1; i < ids.length; i++) if ((int) ids[i] > (int) ids[best]) best = i;
        return best;
    }

    private static int firstEos(long[] ids, int eosTokenId) {
        for (int i = 0; i < ids.length; i++) if ((int) ids[i] == eosTokenId) return i;
        return 0;
    }
}
