package org.uso4j.model.vae;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.Weights;

/**
 * Port of flux {@code autoencoder.py AttnBlock}: GN, 1×1 q/k/v, one attention head over the H·W tokens
 * (token = y·W + x, head dim = C, scale 1/√C), 1×1 {@code proj_out}, residual. [B, C, H, W] → same.
 */
final class AttnBlock {
    private final int channels;
    private final GroupNorm norm;
    private final Conv2d q;
    private final Conv2d k;
    private final Conv2d v;
    private final Conv2d projOut;

    AttnBlock(Weights w, int inChannels) {
        this.channels = inChannels;
        this.norm = GroupNorm.load(w.at("norm"), inChannels);
        this.q = Conv2d.same(w.at("q"), inChannels, inChannels, 1);
        this.k = Conv2d.same(w.at("k"), inChannels, inChannels, 1);
        this.v = Conv2d.same(w.at("v"), inChannels, inChannels, 1);
        this.projOut = Conv2d.same(w.at("proj_out"), inChannels, inChannels, 1);
    }

    private Tensor attention(Backend be, Tensor h_) {
        h_ = norm.forward(be, h_);
        Tensor q = this.q.forward(be, h_);
        Tensor k = this.k.forward(be, h_);
        Tensor v = this.v.forward(be, h_);

        int b = q.dim(0), c = q.dim(1), h = q.dim(2), w = q.dim(3);
        // "b c h w -> b 1 (h w) c"
        q = tokens(be, q);
        k = tokens(be, k);
        v = tokens(be, v);
        h_ = be.attention(q, k, v, (float) (1.0 / Math.sqrt(channels)), null, false); // [B, 1, H·W, C]

        // "b 1 (h w) c -> b c h w"
        return be.permute(h_.reshape(b, h, w, c), 0, 3, 1, 2);
    }

    /** [B, C, H, W] → [B, 1, H·W, C]. */
    private static Tensor tokens(Backend be, Tensor x) {
        int b = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        return be.permute(x, 0, 2, 3, 1).reshape(b, 1, h * w, c);
    }

    Tensor forward(Backend be, Tensor x) { return be.add(x, projOut.forward(be, attention(be, x))); }
}
