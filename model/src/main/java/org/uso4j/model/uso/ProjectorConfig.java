package org.uso4j.model.uso;

import org.uso4j.core.io.CheckpointException;
import org.uso4j.core.io.WeightStore;

/**
 * Geometry of USO's style projector ({@code SigLIPMultiFeatProjModel}).
 *
 * @param siglipTokenNums  SigLIP tokens per image (so400m at 384 px, patch 14: 27 × 27 = 729)
 * @param styleTokenNums   style tokens per feature level (64; three levels → 192 per image)
 * @param siglipTokenDims  SigLIP hidden size (1152)
 * @param hiddenSize       FLUX hidden size the tokens are projected to (3072)
 */
public record ProjectorConfig(int siglipTokenNums, int styleTokenNums, int siglipTokenDims, int hiddenSize) {

    /** The released projector (uso_flux_v1.0/projector.safetensors), as hard-coded in USO's Flux.__init__. */
    public static ProjectorConfig release() { return new ProjectorConfig(729, 64, 1152, 3072); }

    /** Style tokens produced per style image: one block per feature level. */
    public int tokensPerImage() { return StyleFeatureLevel.values().length * styleTokenNums; }

    /** Reads the geometry from the shapes of {@code <level>_embedding_linear.0} and {@code <level>_projection}. */
    public static ProjectorConfig fromWeights(WeightStore w, String prefix) {
        var emb = w.shapeOf(prefix + "high_embedding_linear.0.weight")
                .orElseThrow(() -> new CheckpointException("not a USO projector: no '" + prefix + "high_embedding_linear.0.weight'"));
        var proj = w.shapeOf(prefix + "high_projection.weight")
                .orElseThrow(() -> new CheckpointException("not a USO projector: no '" + prefix + "high_projection.weight'"));
        return new ProjectorConfig(emb.dim(1), emb.dim(0), proj.dim(1), proj.dim(0));
    }
}
