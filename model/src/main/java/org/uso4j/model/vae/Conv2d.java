package org.uso4j.model.vae;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.Weights;

/**
 * {@code nn.Conv2d(cin, cout, kernel_size=k, stride, padding)} with bias: weight [cout, cin, k, k] in any
 * stored dtype, zero padding {@code pad = {top, left, bottom, right}} (asymmetric for Downsample).
 */
final class Conv2d {
    private final Tensor weight;
    private final Tensor bias;
    private final int stride;
    private final int[] pad;

    private Conv2d(Tensor weight, Tensor bias, int stride, int[] pad) {
        this.weight = weight;
        this.bias = bias;
        this.stride = stride;
        this.pad = pad.clone();
    }

    /** A k×k convolution, stride 1, "same" padding (k/2 on every side): {@code conv_in}, {@code conv1}, 1×1 q/k/v... */
    static Conv2d same(Weights w, int cin, int cout, int k) {
        int p = k / 2;
        return load(w, cin, cout, k, 1, new int[]{p, p, p, p});
    }

    /** {@code w.take("weight", cout, cin, k, k)} and {@code w.take("bias", cout)}. */
    static Conv2d load(Weights w, int cin, int cout, int k, int stride, int[] pad) {
        return new Conv2d(w.take("weight", cout, cin, k, k), w.take("bias", cout), stride, pad);
    }

    /** x [B, cin, H, W] → [B, cout, H', W']. */
    Tensor forward(Backend be, Tensor x) { return be.conv2d(x, weight, bias, stride, pad); }

    /** {@code forward(upsampleNearest2x(x))} for a stride-1 convolution, without storing the ×2 image. */
    Tensor forwardUpsampled2x(Backend be, Tensor x) {
        if (stride != 1) throw new IllegalStateException("an upsampling convolution has stride 1, this one " + stride);
        return be.conv2dUpsampled2x(x, weight, bias, pad);
    }
}
