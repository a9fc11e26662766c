package org.uso4j.vulkan.ops;

import org.uso4j.core.DType;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.Kernel;
import org.uso4j.vulkan.VulkanContext;

/**
 * 2-D convolutions on the GPU as an implicit GEMM (shaders/gemm/conv2d.comp): output pixels × output channels tiles
 * of the product of the weight [Cout, Cin·kh·kw] (decoded from its stored dtype) with the im2col matrix of the
 * zero-padded input, which the shader reads through the convolution's indexing and never stores. Each call allocates
 * its output [B, Cout, OH, OW] on the context's heap, the caller frees it.
 */
public final class Conv2d {
    private final VulkanContext ctx;

    public Conv2d(VulkanContext ctx) { this.ctx = ctx; }

    /** The shape of one convolution: input x [b, cin, h, w], weight [cout, cin, kh, kw]. */
    public record Shape(int b, int cin, int h, int w, int cout, int kh, int kw) {}

    /**
     * {@code Backend.conv2d(x, weight, bias, stride, pad)}: x [B, Cin, H, W] float32, weight [Cout, Cin, kh, kw] in
     * {@code wtype} (any decodable dtype; Cout·Cin·kh·kw whole blocks, decoded as one flat run), bias [Cout] (F32, F16,
     * BF16 or float8) or null, zero padding {@code pad = {top, left, bottom, right}} → [B, Cout, OH, OW] with
     * {@code OH = (H + top + bottom - kh) / stride + 1}, {@code OW} likewise.
     */
    public Buffer conv2d(Buffer x, Shape s, Buffer weight, DType wtype, Buffer bias, DType btype, int stride, int[] pad) {
        return run(x, s, weight, wtype, bias, btype, stride, pad, 1);
    }

    /**
     * {@code Backend.conv2dUpsampled2x(x, weight, bias, pad)}: {@code conv2d(upsampleNearest2x(x), weight, bias, 1, pad)}
     * for x [B, Cin, H, W] → [B, Cout, OH, OW] with {@code OH = 2H + top + bottom - kh + 1}; the ×2 image is read through
     * the convolution's indexing (x[y / 2, x / 2]), never stored.
     */
    public Buffer conv2dUpsampled2x(Buffer x, Shape s, Buffer weight, DType wtype, Buffer bias, DType btype, int[] pad) {
        return run(x, s, weight, wtype, bias, btype, 1, pad, 2);
    }

    /** {@code [OH, OW]} of {@code s} upsampled ×{@code up}, with this stride and padding (Checks.conv2d's formula). */
    public static int[] outputSize(Shape s, int stride, int[] pad, int up) {
        int oh = (up * s.h() + pad[0] + pad[2] - s.kh()) / stride + 1;
        int ow = (up * s.w() + pad[1] + pad[3] - s.kw()) / stride + 1;
        return new int[] {oh, ow};
    }

    private Buffer run(Buffer x, Shape s, Buffer weight, DType wtype, Buffer bias, DType btype, int stride, int[] pad, int up) {
        String op = up == 1 ? "conv2d" : "conv2dUpsampled2x";
        if (pad == null || pad.length != 4 || stride < 1) throw new IllegalArgumentException(op + ": pad must be {top, left, bottom, right} and stride >= 1");
        for (int p : pad) if (p < 0) throw new IllegalArgumentException(op + ": negative padding " + java.util.Arrays.toString(pad));
        if (s.b() < 1 || s.cin() < 1 || s.h() < 1 || s.w() < 1 || s.cout() < 1 || s.kh() < 1 || s.kw() < 1) {
            throw new IllegalArgumentException(op + ": every size must be >= 1, got " + s);
        }
        int[] o = outputSize(s, stride, pad, up);
        if (o[0] <= 0 || o[1] <= 0) throw new IllegalArgumentException(op + ": kernel " + s.kh() + "x" + s.kw() + " larger than the padded input " + s);
        long plane = (long) o[0] * o[1], in = (long) s.cin() * s.kh() * s.kw();
        Launch.sizes(op, s.b(), s.cin(), up * s.h(), up * s.w());
        Launch.sizes(op, s.b(), s.cout(), plane);
        Launch.sizes(op, s.cout(), in);
        String wdef = WeightTypes.define(wtype, op + " weight");
        WeightTypes.requireWholeBlocks(wtype, s.cout() * in, op + " weight [" + s.cout() + ", " + s.cin() + ", " + s.kh() + ", " + s.kw() + "]");
        Launch.require(x, 4L * s.b() * s.cin() * s.h() * s.w(), op + " input x [" + s.b() + ", " + s.cin() + ", " + s.h() + ", " + s.w() + "]");
        Launch.require(weight, WeightTypes.bytes(wtype, s.cout() * in), op + " weight " + wtype);
        int biasCode = WeightTypes.optionalCode(bias, btype, op + " bias");
        if (bias != null) Launch.require(bias, WeightTypes.bytes(btype, s.cout()), op + " bias " + btype + " [" + s.cout() + "]");
        if (s.b() > Launch.MAX_GROUPS) throw new IllegalArgumentException(op + ": batch " + s.b() + " is more than one dispatch covers");
        Buffer out = ctx.heap().allocate(4L * s.b() * s.cout() * plane);
        Kernel k = Launch.kernel(ctx, "gemm/conv2d.comp", 4, 13, wdef);
        Launch.dispatch(ctx, k, Launch.tiles(s.cout(), op + " Cout"), Launch.tiles(plane, op + " output pixels"), s.b(),
                new int[] {s.cin(), up * s.h(), up * s.w(), s.cout(), s.kh(), s.kw(), o[0], o[1], stride, pad[0], pad[1], up, biasCode},
                x, weight, bias != null ? bias : weight, out);
        return out;
    }
}
