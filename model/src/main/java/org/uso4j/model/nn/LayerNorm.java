package org.uso4j.model.nn;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;

/** LayerNorm over the last dimension; affine parameters optional (FLUX blocks use none, eps 1e-6). */
public record LayerNorm(Tensor weight, Tensor bias, float eps) {
    public static LayerNorm plain(float eps) { return new LayerNorm(null, null, eps); }

    /** {@code w.take("weight", dim)} and {@code w.take("bias", dim)}. */
    public static LayerNorm load(Weights w, int dim, float eps) {
        return new LayerNorm(w.take("weight", dim), w.take("bias", dim), eps);
    }

    public Tensor forward(Backend be, Tensor x) { return be.layerNorm(x, weight, bias, eps); }
}
