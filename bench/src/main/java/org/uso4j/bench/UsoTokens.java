package org.uso4j.bench;

/**
 * Token counts of one USO run (bytedance/USO {@code inference.py} defaults): 512 T5 tokens plus 192 style tokens
 * per style image form the "txt" stream; the image stream holds the target's (size/16)² tokens plus one content
 * reference preprocessed to {@code refSize} on its long side (USO's {@code content_ref}, default 512 → 1024 tokens
 * for a square image).
 *
 * @param t5Tokens    T5 sequence length (512 for FLUX.1-dev)
 * @param styleTokens style tokens (192 per style image)
 * @param imageTokens target image tokens
 * @param refTokens   content reference tokens
 */
public record UsoTokens(int t5Tokens, int styleTokens, int imageTokens, int refTokens) {
    public static final int T5_TOKENS = 512;
    public static final int STYLE_TOKENS_PER_IMAGE = 192;
    /** USO's default {@code content_ref}: the reference's long side in pixels. */
    public static final int DEFAULT_REF_SIZE = 512;

    public UsoTokens {
        if (t5Tokens < 0 || styleTokens < 0 || imageTokens <= 0 || refTokens < 0) {
            throw new IllegalArgumentException("token counts must be non-negative (image > 0): " + t5Tokens + ", " + styleTokens
                    + ", " + imageTokens + ", " + refTokens);
        }
    }

    /** A square {@code size}² run with one style image and one square content reference of {@code refSize}². */
    public static UsoTokens square(int size, int refSize) {
        if (size <= 0 || size % 16 != 0) throw new IllegalArgumentException("size must be a positive multiple of 16, got " + size);
        if (refSize < 0 || refSize % 16 != 0) throw new IllegalArgumentException("reference size must be a multiple of 16, got " + refSize);
        return new UsoTokens(T5_TOKENS, STYLE_TOKENS_PER_IMAGE, (size / 16) * (size / 16), (refSize / 16) * (refSize / 16));
    }

    /** The text stream of the double blocks: style tokens then T5 tokens. */
    public int txt() { return t5Tokens + styleTokens; }

    /** The image stream of the double blocks: target then reference tokens. */
    public int img() { return imageTokens + refTokens; }

    /** The sequence of the single blocks and of attention. */
    public int total() { return txt() + img(); }
}
