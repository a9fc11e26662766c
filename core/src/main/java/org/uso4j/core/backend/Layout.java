package org.uso4j.core.backend;

import java.util.List;
import org.uso4j.core.Tensor;

/** Memory-bound data movement shared by both backends (copies only; no arithmetic to vectorise). */
public final class Layout {
    private Layout() {}

    public static Tensor concat(int dim, List<Tensor> parts) {
        if (parts.isEmpty()) throw Checks.fail("concat", "no tensors");
        Tensor first = parts.get(0);
        int rank = first.rank();
        int d = dim < 0 ? rank + dim : dim;
        int total = 0;
        for (Tensor t : parts) {
            if (t.rank() != rank) throw Checks.fail("concat", "ranks differ: " + first.shape() + " vs " + t.shape());
            for (int i = 0; i < rank; i++) {
                if (i != d && t.dim(i) != first.dim(i)) throw Checks.fail("concat", "shapes differ outside dim " + d + ": " + first.shape() + " vs " + t.shape());
            }
            total += t.dim(d);
        }
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= first.dim(i);
        for (int i = d + 1; i < rank; i++) inner *= first.dim(i);
        float[] out = new float[outer * total * inner];
        int off = 0;
        for (Tensor t : parts) {
            float[] src = t.toF32().floats();
            int chunk = t.dim(d) * inner;
            for (int o = 0; o < outer; o++) System.arraycopy(src, o * chunk, out, (o * total) * inner + off, chunk);
            off += chunk;
        }
        int[] dims = first.dims();
        dims[d] = total;
        return Tensor.wrap(out, dims);
    }

    public static Tensor slice(Tensor x, int dim, int start, int end) {
        int rank = x.rank();
        int d = dim < 0 ? rank + dim : dim;
        if (start < 0 || end > x.dim(d) || start > end) throw Checks.fail("slice", "[" + start + ", " + end + ") out of range for dim " + d + " of " + x.shape());
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= x.dim(i);
        for (int i = d + 1; i < rank; i++) inner *= x.dim(i);
        float[] src = x.toF32().floats(), out = new float[outer * (end - start) * inner];
        int n = (end - start) * inner;
        for (int o = 0; o < outer; o++) System.arraycopy(src, (o * x.dim(d) + start) * inner, out, o * n, n);
        int[] dims = x.dims();
        dims[d] = end - start;
        return Tensor.wrap(out, dims);
    }

    public static Tensor permute(Tensor x, int... order) {
        int rank = x.rank();
        if (order.length != rank) throw Checks.fail("permute", "order " + java.util.Arrays.toString(order) + " for " + x.shape());
        int[] in = x.dims(), out = new int[rank], inStride = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = rank - 1, s = 1; i >= 0; i--) { inStride[i] = s; s *= in[i]; }
        int[] srcStride = new int[rank];
        for (int i = 0; i < rank; i++) {
            if (order[i] < 0 || order[i] >= rank || seen[order[i]]) throw Checks.fail("permute", "invalid order " + java.util.Arrays.toString(order));
            seen[order[i]] = true;
            out[i] = in[order[i]];
            srcStride[i] = inStride[order[i]];
        }
        float[] src = x.toF32().floats(), dst = new float[src.length];
        int[] idx = new int[rank];
        int last = rank - 1, lastLen = rank == 0 ? 1 : out[last], lastStride = rank == 0 ? 1 : srcStride[last];
        int rowsOut = lastLen == 0 ? 0 : dst.length / lastLen;
        for (int r = 0; r < rowsOut; r++) {
            int base = 0;
            for (int i = 0; i < last; i++) base += idx[i] * srcStride[i];
            int o = r * lastLen;
            for (int j = 0; j < lastLen; j++) dst[o + j] = src[base + j * lastStride];
            for (int i = last - 1; i >= 0; i--) { if (++idx[i] < out[i]) break; idx[i] = 0; }
        }
        return Tensor.wrap(dst, out);
    }

    public static Tensor upsampleNearest2x(Tensor x) {
        if (x.rank() != 4) throw Checks.fail("upsampleNearest2x", "x must be [B, C, H, W], got " + x.shape());
        int bc = x.dim(0) * x.dim(1), h = x.dim(2), w = x.dim(3);
        float[] src = x.floats(), out = new float[bc * 4 * h * w];
        for (int p = 0; p < bc; p++)
            for (int y = 0; y < 2 * h; y++) {
                int so = (p * h + y / 2) * w, oo = (p * 2 * h + y) * 2 * w;
                for (int xx = 0; xx < 2 * w; xx++) out[oo + xx] = src[so + xx / 2];
            }
        return Tensor.wrap(out, x.dim(0), x.dim(1), 2 * h, 2 * w);
    }
}
