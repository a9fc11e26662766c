package org.uso4j.model.vae;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.Weights;

/** Port of flux {@code autoencoder.py Upsample}: nearest ×2, conv 3×3. [B, C, H, W] → [B, C, 2H, 2W]. */
final class Upsample {
    private final Conv2d conv;

    Upsample(Weights w, int inChannels) {
        this.conv = Conv2d.same(w.at("conv"), inChannels, inChannels, 3);
    }

    /** {@code conv(interpolate(x, scale_factor=2.0, mode="nearest"))}, the ×2 image read through the convolution. */
    Tensor forward(Backend be, Tensor x) {
        return conv.forwardUpsampled2x(be, x);
    }
}
