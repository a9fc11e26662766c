package org.uso4j.model.metrics.clip;

import java.nio.file.Path;
import java.util.List;
import org.uso4j.model.tokenizers.ClipTokenizer;

/**
 * {@code clip.tokenize(texts, context_length, truncate=True)} (openai/CLIP clip/clip.py @ d05afc43):
 * {@code [sot] + bpe(text) + [eot]}, a longer sequence cut to {@code context_length} with its last id replaced by
 * eot, zero-padded (not eot-padded like transformers). The BPE itself is {@link ClipTokenizer} over OpenAI's
 * {@code bpe_simple_vocab_16e6.txt.gz}.
 */
public final class OpenAiClipTokenizer {
    private final ClipTokenizer bpe;
    private final int contextLength;

    public OpenAiClipTokenizer(ClipTokenizer bpe, int contextLength) {
        if (contextLength < 2) throw new IllegalArgumentException("context_length must be >= 2, got " + contextLength);
        this.bpe = bpe;
        this.contextLength = contextLength;
    }

    /** From OpenAI's merges file ({@code bpe_simple_vocab_16e6.txt.gz}) or a Hugging Face tokenizer folder. */
    public static OpenAiClipTokenizer load(Path vocab, int contextLength) {
        return new OpenAiClipTokenizer(ClipTokenizer.load(vocab), contextLength);
    }

    public int contextLength() { return contextLength; }

    /** One row of ids [context_length]. */
    public long[] tokenize(String text) {
        int[] all = bpe.encode(text, Math.max(2, contextLength)).idsUntruncated(); // [sot] + ids + [eot]
        long[] row = new long[contextLength];                                     // zero padding
        if (all.length > contextLength) {
            for (int i = 0; i < contextLength; i++) row[i] = all[i];
            row[contextLength - 1] = bpe.eosId();                                   // truncate=True
        } else {
            for (int i = 0; i < all.length; i++) row[i] = all[i];
        }
        return row;
    }

    /** Rows [texts.size()][context_length]. */
    public long[][] tokenize(List<String> texts) {
        return texts.stream().map(this::tokenize).toArray(long[][]::new);
    }
}
