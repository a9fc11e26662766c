package org.uso4j.model.vae;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.Weights;

/** The VAE's {@code nn.GroupNorm(num_groups=32, num_channels=c, eps=1e-6, affine=True)} on [B, C, H, W]. */
record GroupNorm(Tensor weight, Tensor bias) {
    static final int GROUPS = 32;
    static final float EPS = 1e-6f;

    /** {@code w.take("weight", c)}, {@code w.take("bias", c)}. */
    static GroupNorm load(Weights w, int channels) {
        return new GroupNorm(w.take("weight", channels), w.take("bias", channels));
    }

    Tensor forward(Backend be, Tensor x) { return be.groupNorm(x, GROUPS, weight, bias, EPS); }

    /** {@code swish(norm(x))}, as every use but the attention's: one full-size tensor instead of two. */
    Tensor forwardSwish(Backend be, Tensor x) { return be.groupNorm(x, GROUPS, weight, bias, EPS, Activation.SILU); }
}
