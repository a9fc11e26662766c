package org.uso4j.vulkan.ops;

import java.util.Arrays;
import org.uso4j.core.DType;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.VulkanContext;

/**
 * Data movement on the GPU, as core's {@code backend.Layout} (which {@code ScalarBackend} uses): concat, slice,
 * permute (any rank ≤ 8, a general strided copy), nearest ×2 upsampling, zeros, and the decoding of a stored
 * F32/F16/BF16 tensor to float32. Shapes are row-major dims; a negative {@code dim} counts from the end. Copies are
 * exact. Every method returns a new float32 buffer that the caller frees.
 */
public final class Layout {
    /** The most dimensions {@link #permute} takes (its push constants hold 8 dims and 8 strides). */
    public static final int MAX_RANK = 8;

    private final VulkanContext ctx;

    public Layout(VulkanContext ctx) { this.ctx = ctx; }

    /**
     * {@code Backend.concat}: parts[i] of shape dims[i] (equal ranks, equal dims except {@code dim}) joined along
     * {@code dim}; the output has their shape with dims[·][dim] summed.
     */
    public Buffer concat(int dim, int[][] dims, Buffer... parts) {
        if (parts.length == 0 || parts.length != dims.length) {
            throw new IllegalArgumentException("concat: " + parts.length + " parts with " + dims.length + " shapes (need ≥ 1 each, as many)");
        }
        int[] first = dims[0];
        int d = axis("concat", dim, first.length);
        long total = 0;
        for (int p = 0; p < parts.length; p++) {
            if (dims[p].length != first.length) throw new IllegalArgumentException("concat: ranks differ: " + Arrays.toString(first) + " vs " + Arrays.toString(dims[p]));
            for (int i = 0; i < first.length; i++) {
                if (i != d && dims[p][i] != first[i]) {
                    throw new IllegalArgumentException("concat: shapes differ outside dim " + d + ": " + Arrays.toString(first) + " vs " + Arrays.toString(dims[p]));
                }
            }
            Launch.floats("concat", "part " + p, parts[p], numel(dims[p]));
            total += dims[p][d];
        }
        long outer = prod(first, 0, d), inner = prod(first, d + 1, first.length);
        long n = index("concat", outer * total * inner);
        Buffer out = Launch.floats(ctx, n);
        long off = 0;
        for (int p = 0; p < parts.length; p++) {
            long len = (long) dims[p][d] * inner;
            blocks(parts[p], outer, len, len, 0, total * inner, off, out);
            off += len;
        }
        return out;
    }

    /** {@code Backend.slice}: elements {@code [start, end)} along {@code dim} of x [dims]. */
    public Buffer slice(Buffer x, int[] dims, int dim, int start, int end) {
        int d = axis("slice", dim, dims.length);
        if (start < 0 || end > dims[d] || start > end) {
            throw new IllegalArgumentException("slice: [" + start + ", " + end + ") out of range for dim " + d + " of " + Arrays.toString(dims));
        }
        Launch.floats("slice", "x", x, numel(dims));
        long outer = prod(dims, 0, d), inner = prod(dims, d + 1, dims.length), len = (long) (end - start) * inner;
        Buffer out = Launch.floats(ctx, index("slice", outer * len));
        blocks(x, outer, len, dims[d] * inner, start * inner, len, 0, out);
        return out;
    }

    private void blocks(Buffer src, long blocks, long len, long srcStride, long srcOff, long dstStride, long dstOff, Buffer out) {
        long n = blocks * len;
        if (n == 0) return;
        Launch.items(ctx, ctx.kernel("layout/blocks.comp", 2, 24), n,
                new int[] {(int) n, (int) len, (int) srcStride, (int) srcOff, (int) dstStride, (int) dstOff}, src, out);
    }

    /** {@code Backend.permute}: x [dims] → output whose dimension i is input dimension {@code order[i]} (rank ≤ 8). */
    public Buffer permute(Buffer x, int[] dims, int... order) {
        int rank = dims.length;
        if (order.length != rank) throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " for " + Arrays.toString(dims));
        if (rank > MAX_RANK) throw new IllegalArgumentException("permute: rank " + rank + " > " + MAX_RANK + " for " + Arrays.toString(dims));
        long n = index("permute", numel(dims));
        Launch.floats("permute", "x", x, n);
        int[] stride = new int[rank];
        for (int i = rank - 1, s = 1; i >= 0; i--) { stride[i] = s; s *= dims[i]; }
        int[] push = new int[2 + 2 * MAX_RANK];
        push[0] = (int) n;
        push[1] = rank;
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            if (order[i] < 0 || order[i] >= rank || seen[order[i]]) throw new IllegalArgumentException("permute: invalid order " + Arrays.toString(order));
            seen[order[i]] = true;
            push[2 + i] = dims[order[i]];
            push[2 + MAX_RANK + i] = stride[order[i]];
        }
        Buffer out = Launch.floats(ctx, n);
        if (n > 0) Launch.items(ctx, ctx.kernel("layout/permute.comp", 2, 4 * push.length), n, push, x, out);
        return out;
    }

    /** {@code Backend.upsampleNearest2x}: x [b, c, h, w] → [b, c, 2h, 2w], each pixel repeated 2×2. */
    public Buffer upsampleNearest2x(Buffer x, int b, int c, int h, int w) {
        long planes = (long) b * c, n = index("upsampleNearest2x", planes * 4 * h * w);
        Launch.floats("upsampleNearest2x", "x", x, planes * h * w);
        Buffer out = Launch.floats(ctx, n);
        if (n > 0) Launch.items(ctx, ctx.kernel("layout/upsample.comp", 2, 12), n, new int[] {(int) n, h, w}, x, out);
        return out;
    }

    /** {@code Tensor.zeros}: n float32 zeros. */
    public Buffer zeros(int n) {
        Buffer out = Launch.floats(ctx, n);
        if (n > 0) Launch.items(ctx, ctx.kernel("layout/fill.comp", 1, 8), n, new int[] {n, 0}, out);
        return out;
    }

    /** {@code Tensor.toF32}: n elements stored as {@code dtype} (F32, F16 or BF16 bytes, as in the checkpoint) → float32. */
    public Buffer toF32(Buffer stored, DType dtype, int n) {
        StoredType.fits("toF32", "input", stored, dtype, n);
        Buffer out = Launch.floats(ctx, n);
        if (n > 0) Launch.items(ctx, ctx.kernel("layout/convert.comp", 2, 4, StoredType.load("WLOAD", dtype, "toF32", "input")), n, new int[] {n}, stored, out);
        return out;
    }

    private static int axis(String op, int dim, int rank) {
        int d = dim < 0 ? rank + dim : dim;
        if (d < 0 || d >= rank) throw new IllegalArgumentException(op + ": dim " + dim + " out of range for rank " + rank);
        return d;
    }

    private static long prod(int[] dims, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) p *= dims[i];
        return p;
    }

    private static long numel(int[] dims) {
        for (int v : dims) if (v < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
        return prod(dims, 0, dims.length);
    }

    /** Element counts the shaders index with 32-bit unsigned ints. */
    private static long index(String op, long n) {
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException(op + ": " + n + " elements are more than one buffer index reaches here");
        return n;
    }
}
