package org.uso4j.model.metrics.clip;

/**
 * Hyper-parameters of OpenAI CLIP's {@code VisionTransformer} (clip/model.py @ d05afc43): a square
 * {@code inputResolution} image cut into {@code patchSize} patches, {@code layers} pre-LN blocks of {@code width}
 * features and {@code heads} heads (MLP 4 x width, QuickGELU), and {@code proj} [width, outputDim] after ln_post.
 * {@code outputDim == 0} means the tower has no {@code proj} (CSD removes it and uses the ln_post feature).
 */
public record VisionTransformerConfig(int inputResolution, int patchSize, int width, int layers, int heads, int outputDim,
        float layerNormEps) {

    public VisionTransformerConfig {
        if (patchSize <= 0 || inputResolution <= 0 || inputResolution % patchSize != 0) {
            throw new IllegalArgumentException("CLIP vision: input_resolution " + inputResolution + " is not a multiple of patch_size " + patchSize);
        }
        if (width <= 0 || layers <= 0 || heads <= 0 || width % heads != 0) {
            throw new IllegalArgumentException("CLIP vision: width " + width + ", layers " + layers + ", heads " + heads + " are not a valid transformer");
        }
        if (outputDim < 0) throw new IllegalArgumentException("CLIP vision: output_dim must be >= 0, got " + outputDim);
        if (!(layerNormEps > 0)) throw new IllegalArgumentException("CLIP vision: layer norm eps must be > 0, got " + layerNormEps);
    }

    /** Patches per side. */
    public int grid() { return inputResolution / patchSize; }

    /** Tokens: the class token and grid² patches. */
    public int tokens() { return 1 + grid() * grid(); }

    public boolean hasProjection() { return outputDim > 0; }

    /** ViT-B/32 of {@code ViT-B-32.pt}: 224 px, patch 32, 768 wide, 12 layers, 12 heads, proj to 512. */
    public static VisionTransformerConfig vitB32() { return new VisionTransformerConfig(224, 32, 768, 12, 12, 512, 1e-5f); }

    /** ViT-L/14 of {@code ViT-L-14.pt}: 224 px, patch 14, 1024 wide, 24 layers, 16 heads, proj to 768. */
    public static VisionTransformerConfig vitL14() { return new VisionTransformerConfig(224, 14, 1024, 24, 16, 768, 1e-5f); }

    public VisionTransformerConfig withoutProjection() {
        return new VisionTransformerConfig(inputResolution, patchSize, width, layers, heads, 0, layerNormEps);
    }
}
