package org.uso4j.model.metrics.clip;

import java.util.List;
import org.uso4j.core.Tensor;

/**
 * What {@link VisionTransformer#forward} computes.
 *
 * @param lnPre    [B, 1+g², W] ln_pre output (batch first; the reference runs sequence first)
 * @param blocks   per block [B, 1+g², W], block i's output
 * @param pooled   [B, W] ln_post(class token): CSD's "feature"
 * @param features [B, outputDim] pooled @ proj, or {@code pooled} for a tower without proj
 */
public record VisionTransformerOutput(Tensor lnPre, List<Tensor> blocks, Tensor pooled, Tensor features) {
    public VisionTransformerOutput {
        blocks = List.copyOf(blocks);
    }
}
