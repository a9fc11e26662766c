package org.uso4j.model.vae;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.Weights;

/**
 * Port of flux {@code autoencoder.py Downsample}: zero-pad right and bottom by 1 ({@code F.pad(x, (0, 1, 0, 1))}),
 * then conv 3×3 stride 2 without padding. [B, C, H, W] → [B, C, H/2, W/2] (floor((H - 2)/2) + 1).
 */
final class Downsample {
    private final Conv2d conv;

    Downsample(Weights w, int inChannels) {
        // no asymmetric padding in torch conv: the reference pads by hand; our conv2d takes {top, left, bottom, right}
        this.conv = Conv2d.load(w.at("conv"), inChannels, inChannels, 3, 2, new int[]{0, 0, 1, 1});
    }

    Tensor forward(Backend be, Tensor x) { return conv.forward(be, x); }
}
