package org.uso4j.model.vae;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.Weights;

/**
 * Port of flux {@code autoencoder.py ResnetBlock}: GN → swish → conv3×3 → GN → swish → conv3×3, plus the input,
 * through a 1×1 {@code nin_shortcut} when the channel count changes. [B, in, H, W] → [B, out, H, W].
 */
final class ResnetBlock {
    private final GroupNorm norm1;
    private final Conv2d conv1;
    private final GroupNorm norm2;
    private final Conv2d conv2;
    private final Conv2d ninShortcut; // null when in_channels == out_channels

    ResnetBlock(Weights w, int inChannels, int outChannels) {
        this.norm1 = GroupNorm.load(w.at("norm1"), inChannels);
        this.conv1 = Conv2d.same(w.at("conv1"), inChannels, outChannels, 3);
        this.norm2 = GroupNorm.load(w.at("norm2"), outChannels);
        this.conv2 = Conv2d.same(w.at("conv2"), outChannels, outChannels, 3);
        this.ninShortcut = inChannels != outChannels ? Conv2d.same(w.at("nin_shortcut"), inChannels, outChannels, 1) : null;
    }

    Tensor forward(Backend be, Tensor x) {
        Tensor h = x;
        h = norm1.forwardSwish(be, h);
        h = conv1.forward(be, h);

        h = norm2.forwardSwish(be, h);
        h = conv2.forward(be, h);

        if (ninShortcut != null) x = ninShortcut.forward(be, x);

        return be.add(x, h);
    }
}
