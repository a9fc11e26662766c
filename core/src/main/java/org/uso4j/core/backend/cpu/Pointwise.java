package org.uso4j.core.backend.cpu;

import static org.uso4j.core.backend.cpu.simd.VectorMath.F;
import static org.uso4j.core.backend.cpu.simd.VectorMath.FL;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.core.backend.cpu.simd.VectorMath;

/**
 * Elementwise kernels, vectorised and split into contiguous chunks of the output. Each uses the float operations
 * of its scalar twin in {@link ScalarBackend} in the same order (bitwise equal to it), except the activations,
 * which compute e^x with {@link VectorMath#exp} (about 1e-7 relative).
 */
public final class Pointwise {
    private Pointwise() {}

    /** Elements per work item for memory-bound kernels. */
    public static final int GRAIN = 1 << 15;

    /** A kernel over flat indices [start, end). */
    @FunctionalInterface
    public interface Range {
        void run(int start, int end);
    }

    public static void split(Workers w, int n, Range r) {
        int items = Workers.chunks(n, GRAIN);
        w.forEach(items, items > 1, (worker, item) -> r.run(item * GRAIN, Math.min(n, (item + 1) * GRAIN)));
    }

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);

    /**
     * SiLU, QuickGELU and tanh-GELU as {@code x·σ(k1·x + k3·x³)}, using 0.5·(1 + tanh u) = σ(2u); GELU_ERF runs its
     * double-precision scalar twin (no vector erf), ReLU is a lane max.
     */
    public static float[] activate(Workers w, float[] x, Activation kind) {
        float[] out = new float[x.length];
        split(w, x.length, (s, e) -> activate(x, out, s, e, kind));
        return out;
    }

    /** {@code out[i] = kind(x[i])} for i in [s, e); {@code out} may be {@code x} (in place). */
    public static void activate(float[] x, float[] out, int s, int e, Activation kind) {
        switch (kind) {
            case SILU -> VectorMath.xSigmoid(x, out, s, e, 1f, 0f);
            case QUICK_GELU -> VectorMath.xSigmoid(x, out, s, e, 1.702f, 0f);
            case GELU_TANH -> VectorMath.xSigmoid(x, out, s, e, 2 * SQRT_2_OVER_PI, 2 * SQRT_2_OVER_PI * 0.044715f);
            case RELU -> {
                for (int i = s; i < e; i += FL) {
                    VectorMask<Float> m = F.indexInRange(i, e);
                    FloatVector.fromArray(F, x, i, m).max(0f).intoArray(out, i, m);
                }
            }
            case GELU_ERF -> {
                for (int i = s; i < e; i++) out[i] = ScalarBackend.activate(x[i], kind);
            }
        }
    }

    /** {@code a ∘ b} with b a suffix of a (repeated every b.length elements); {@code mul} selects · over +. */
    public static float[] binary(Workers w, float[] a, float[] b, boolean mul) {
        float[] out = new float[a.length];
        int bl = b.length;
        if (bl == 0) return out;
        split(w, a.length, (s, e) -> {
            int i = s, j = s % bl;
            while (i < e) {
                int len = Math.min(e - i, bl - j);
                for (int c = 0; c < len; c += FL) {
                    VectorMask<Float> m = F.indexInRange(c, len);
                    FloatVector x = FloatVector.fromArray(F, a, i + c, m), y = FloatVector.fromArray(F, b, j + c, m);
                    (mul ? x.mul(y) : x.add(y)).intoArray(out, i + c, m);
                }
                i += len;
                j = 0;
            }
        });
        return out;
    }

    public static float[] scale(Workers w, float[] a, float s) {
        float[] out = new float[a.length];
        split(w, a.length, (st, e) -> {
            for (int i = st; i < e; i += FL) {
                VectorMask<Float> m = F.indexInRange(i, e);
                FloatVector.fromArray(F, a, i, m).mul(s).intoArray(out, i, m);
            }
        });
        return out;
    }

    /**
     * Per (batch, row) with per-batch channel vectors p, q [B, C]: {@code modulate}: (1 + q)·x + p; else
     * {@code addGated}: x + p·y.
     */
    public static float[] perChannel(Workers w, float[] x, int batch, int c, float[] p, float[] q, float[] y, boolean modulate) {
        float[] out = new float[x.length];
        int rows = c == 0 ? 0 : x.length / c, perBatch = rows / Math.max(1, batch);
        int rowsPerItem = Math.max(1, GRAIN / Math.max(1, c));
        int items = Workers.chunks(rows, rowsPerItem);
        w.forEach(items, items > 1, (worker, item) -> {
            int r1 = Math.min(rows, (item + 1) * rowsPerItem);
            for (int r = item * rowsPerItem; r < r1; r++) {
                int o = r * c, v = (r / perBatch) * c;
                for (int i = 0; i < c; i += FL) {
                    VectorMask<Float> m = F.indexInRange(i, c);
                    FloatVector xv = FloatVector.fromArray(F, x, o + i, m), pv = FloatVector.fromArray(F, p, v + i, m);
                    FloatVector res = modulate
                            ? FloatVector.fromArray(F, q, v + i, m).add(1f).mul(xv).add(pv)
                            : xv.add(pv.mul(FloatVector.fromArray(F, y, o + i, m)));
                    res.intoArray(out, o + i, m);
                }
            }
        });
        return out;
    }

    private static final VectorShuffle<Float> PAIR_SWAP = VectorShuffle.fromOp(F, i -> i ^ 1);

    /**
     * FLUX {@code apply_rope}: per pair, out = [[p00, p01], [p10, p11]] · (x0, x1), as {@code A·x + B·swap(x)} with
     * A = (p00, p11, ...) and B = (p01, p10, ...). x [B, H, L, D], pe [1|B, 1, L, D/2, 2, 2].
     */
    public static float[] rope(Workers w, float[] x, float[] pe, int b, int h, int l, int d, boolean peBatch) {
        float[] out = new float[x.length];
        int tPerItem = Math.max(1, GRAIN / Math.max(1, h * d));
        int tChunks = Workers.chunks(l, tPerItem);
        w.forEach(b * tChunks, (long) x.length > GRAIN, (worker, item) -> {
            int n = item / tChunks, t0 = (item % tChunks) * tPerItem, t1 = Math.min(l, t0 + tPerItem);
            float[] ca = new float[d], cb = new float[d];
            for (int t = t0; t < t1; t++) {
                int po = ((peBatch ? n : 0) * l + t) * d * 2;
                for (int k = 0; k < d / 2; k++) {
                    ca[2 * k] = pe[po + 4 * k];
                    cb[2 * k] = pe[po + 4 * k + 1];
                    cb[2 * k + 1] = pe[po + 4 * k + 2];
                    ca[2 * k + 1] = pe[po + 4 * k + 3];
                }
                for (int hh = 0; hh < h; hh++) {
                    int xo = ((n * h + hh) * l + t) * d;
                    for (int i = 0; i < d; i += FL) {
                        VectorMask<Float> m = F.indexInRange(i, d);
                        FloatVector xv = FloatVector.fromArray(F, x, xo + i, m);
                        FloatVector first = FloatVector.fromArray(F, ca, i, m).mul(xv);
                        FloatVector second = FloatVector.fromArray(F, cb, i, m).mul(xv.rearrange(PAIR_SWAP));
                        first.add(second).intoArray(out, xo + i, m);
                    }
                }
            }
        });
        return out;
    }

    /** Nearest ×2 of [P, H, W] planes → [P, 2H, 2W]. */
    public static float[] upsampleNearest2x(Workers w, float[] x, int planes, int h, int wd) {
        float[] out = new float[planes * 4 * h * wd];
        int rows = planes * h, rowsPerItem = Math.max(1, GRAIN / Math.max(1, 4 * wd));
        int items = Workers.chunks(rows, rowsPerItem);
        w.forEach(items, items > 1, (worker, item) -> {
            int r1 = Math.min(rows, (item + 1) * rowsPerItem);
            for (int r = item * rowsPerItem; r < r1; r++) {
                int so = r * wd, oo = r * 4 * wd; // input row (p, y) → output rows (p, 2y) and (p, 2y + 1)
                for (int i = 0; i < wd; i++) {
                    float v = x[so + i];
                    out[oo + 2 * i] = v;
                    out[oo + 2 * i + 1] = v;
                }
                System.arraycopy(out, oo, out, oo + 2 * wd, 2 * wd);
            }
        });
        return out;
    }
}
