package org.uso4j.model.nn;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;

/** RMSNorm over the last dimension with a learned scale: {@code x · rsqrt(mean(x²) + eps) · scale}. */
public record RmsNorm(Tensor scale, float eps) {
    public Tensor forward(Backend be, Tensor x) { return be.rmsNorm(x, scale, eps); }
}
