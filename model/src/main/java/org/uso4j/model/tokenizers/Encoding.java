package org.uso4j.model.tokenizers;

import java.util.List;

/**
 * A tokenizer's output for one text, as transformers returns it for
 * {@code tokenizer(text, truncation=True, max_length=MAX, padding="max_length")}.
 *
 * @param tokens         the tokens before special tokens are added (sentencepiece pieces / BPE symbols / literal specials)
 * @param idsUntruncated ids with the special tokens added (bos/eos), before truncation and padding
 * @param inputIds       [MAX] ids after truncation, special tokens and padding
 * @param attentionMask  [MAX] 1 for real tokens, 0 for padding
 */
public record Encoding(List<String> tokens, int[] idsUntruncated, int[] inputIds, int[] attentionMask) {
    public Encoding {
        tokens = List.copyOf(tokens);
        if (inputIds.length != attentionMask.length) throw new IllegalArgumentException("ids/mask lengths differ");
    }

    /** Number of non-padding positions. */
    public int length() {
        int n = 0;
        for (int m : attentionMask) n += m;
        return n;
    }

    public boolean truncated() { return idsUntruncated.length > inputIds.length; }

    /** {@link #inputIds()} widened to long (checkpoint / tensor id type). */
    public long[] inputIdsLong() {
        long[] r = new long[inputIds.length];
        for (int i = 0; i < r.length; i++) r[i] = inputIds[i];
        return r;
    }
}
