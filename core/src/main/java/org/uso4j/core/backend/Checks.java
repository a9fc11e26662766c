package org.uso4j.core.backend;

import org.uso4j.core.Tensor;

/** Argument checks shared by both backends: a wrong shape fails with both shapes in the message. */
public final class Checks {
    private Checks() {}

    public static IllegalArgumentException fail(String op, String what) { return new IllegalArgumentException(op + ": " + what); }

    public static void linearLowRank(Tensor x, Tensor w, Tensor t, Tensor up) {
        if (up.rank() != 2 || w.rank() != 2 || up.dim(0) != w.dim(0)) throw fail("linearLowRank", "up " + up.shape() + " does not match weight " + w.shape());
        if (t.shape().last() != up.dim(1)) throw fail("linearLowRank", "low-rank input " + t.shape() + " does not match up " + up.shape());
        if (t.shape().rows() != x.shape().rows()) throw fail("linearLowRank", "low-rank input " + t.shape() + " and input " + x.shape() + " differ in rows");
    }

    public static void linear(Tensor x, Tensor w, Tensor b) {
        if (w.rank() != 2) throw fail("linear", "weight must be [out, in], got " + w.shape());
        if (x.shape().last() != w.dim(1)) throw fail("linear", "input " + x.shape() + " does not match weight " + w.shape());
        if (b != null && (b.rank() != 1 || b.dim(0) != w.dim(0))) throw fail("linear", "bias " + b.shape() + " does not match weight " + w.shape());
        x.floats();
    }

    public static int[] withLast(Tensor x, int last) {
        int[] d = x.dims();
        d[d.length - 1] = last;
        return d;
    }

    public static void vector(Tensor v, int c, String what) {
        if (v != null && (v.rank() != 1 || v.dim(0) != c)) throw fail(what, "expected [" + c + "], got " + v.shape());
    }

    /** b broadcastable to a as a suffix of a's shape; returns b as dense f32. */
    public static Tensor suffix(Tensor a, Tensor b, String op) {
        int[] ad = a.dims(), bd = b.dims();
        boolean ok = bd.length <= ad.length;
        for (int i = 0; ok && i < bd.length; i++) ok = bd[bd.length - 1 - i] == ad[ad.length - 1 - i];
        if (!ok) throw fail(op, b.shape() + " does not broadcast to " + a.shape());
        return b.toF32();
    }

    public static void sameShape(Tensor a, Tensor b, String op) {
        if (!a.shape().equals(b.shape())) throw fail(op, "shapes differ: " + a.shape() + " vs " + b.shape());
    }

    /** v is [B, C] (or [B, 1, C]) for x [B, ..., C]. */
    public static void perBatchChannel(Tensor x, Tensor v, String op) {
        if (v.numel() != (long) x.dim(0) * x.shape().last() || v.dim(0) != x.dim(0) || v.shape().last() != x.shape().last()) {
            throw fail(op, v.shape() + " is not [B, C] for input " + x.shape());
        }
    }

    public static void rope(Tensor x, Tensor pe) {
        if (x.rank() != 4) throw fail("rope", "x must be [B, H, L, D], got " + x.shape());
        int d = x.dim(3);
        if (d % 2 != 0 || pe.rank() != 6 || pe.dim(2) != x.dim(2) || pe.dim(3) != d / 2 || pe.dim(4) != 2 || pe.dim(5) != 2
                || (pe.dim(0) != 1 && pe.dim(0) != x.dim(0))) {
            throw fail("rope", "pe " + pe.shape() + " does not fit x " + x.shape());
        }
    }

    public static void attention(Tensor q, Tensor k, Tensor v, Tensor bias) {
        if (q.rank() != 4 || k.rank() != 4 || v.rank() != 4) throw fail("attention", "q, k, v must be [B, H, L, D]");
        if (q.dim(0) != k.dim(0) || q.dim(1) != k.dim(1) || q.dim(3) != k.dim(3)
                || v.dim(0) != k.dim(0) || v.dim(1) != k.dim(1) || v.dim(2) != k.dim(2)) {
            throw fail("attention", "q " + q.shape() + ", k " + k.shape() + ", v " + v.shape() + " do not fit");
        }
        if (bias != null && (bias.rank() != 4 || (bias.dim(0) != 1 && bias.dim(0) != q.dim(0)) || bias.dim(1) != q.dim(1)
                || bias.dim(2) != q.dim(2) || bias.dim(3) != k.dim(2))) {
            throw fail("attention", "bias " + bias.shape() + " is not [1|B, H, Lq, Lk]");
        }
    }

    public record Matmul(int batch, int m, int k, int n, boolean bBroadcast, int[] outDims) {}

    public static Matmul matmul(Tensor a, Tensor b, boolean transposeB) {
        if (a.rank() < 2 || b.rank() < 2) throw fail("matmul", "operands must have rank >= 2: " + a.shape() + ", " + b.shape());
        int m = a.dim(-2), k = a.dim(-1);
        int bk = transposeB ? b.dim(-1) : b.dim(-2), n = transposeB ? b.dim(-2) : b.dim(-1);
        if (bk != k) throw fail("matmul", a.shape() + " x " + b.shape() + (transposeB ? "ᵀ" : "") + ": inner dimensions differ");
        int batch = Math.toIntExact(a.numel() / ((long) m * k));
        int bBatch = Math.toIntExact(b.numel() / ((long) bk * n));
        if (bBatch != batch && bBatch != 1) throw fail("matmul", "batch dimensions differ: " + a.shape() + ", " + b.shape());
        int[] out = a.dims();
        out[out.length - 1] = n;
        return new Matmul(batch, m, k, n, bBatch == 1 && batch != 1, out);
    }

    public record Conv(int b, int cin, int h, int w, int cout, int kh, int kw, int oh, int ow) {}

    public static Conv conv2d(Tensor x, Tensor w, Tensor bias, int stride, int[] pad) { return conv2d(x, w, bias, stride, pad, 1); }

    /** The convolution of {@code x} upsampled ×{@code up} (nearest): its input is [B, C, up·H, up·W]. */
    public static Conv conv2d(Tensor x, Tensor w, Tensor bias, int stride, int[] pad, int up) {
        if (x.rank() != 4 || w.rank() != 4) throw fail("conv2d", "x must be [B, C, H, W] and weight [O, C, kh, kw]: " + x.shape() + ", " + w.shape());
        if (x.dim(1) != w.dim(1)) throw fail("conv2d", "input channels " + x.dim(1) + " != weight " + w.shape());
        if (pad.length != 4 || stride < 1) throw fail("conv2d", "pad must be {top, left, bottom, right} and stride >= 1");
        vector(bias, w.dim(0), "conv2d bias");
        int h = up * x.dim(2), wd = up * x.dim(3);
        int oh = (h + pad[0] + pad[2] - w.dim(2)) / stride + 1;
        int ow = (wd + pad[1] + pad[3] - w.dim(3)) / stride + 1;
        if (oh <= 0 || ow <= 0) throw fail("conv2d", "kernel " + w.shape() + " larger than padded input " + x.shape());
        return new Conv(x.dim(0), x.dim(1), h, wd, w.dim(0), w.dim(2), w.dim(3), oh, ow);
    }
}
