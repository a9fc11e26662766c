package org.uso4j.core.backend.cpu;

import static org.uso4j.core.backend.cpu.simd.VectorMath.F;
import static org.uso4j.core.backend.cpu.simd.VectorMath.FL;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.core.backend.cpu.simd.VectorMath;

/**
 * Row-wise reductions: LayerNorm, RMSNorm, GroupNorm and softmax, vectorised, parallel over rows (or
 * (batch, group) pairs). Long sums run in float lanes over chunks of {@link #CHUNK} elements whose lane totals
 * are added in a fixed tree and accumulated in double: accurate for 4M-element groups and the same bits on
 * any thread. Scalar twins: the same methods of {@link ScalarBackend} (double accumulators throughout).
 */
public final class Norms {
    private Norms() {}

    /** Elements per float partial sum run (a multiple of {@link VectorMath#SUM_LANES}: the same chunks at every width). */
    private static final int CHUNK = 16 * VectorMath.SUM_LANES;

    /** Σ x[off .. off+n): per chunk, {@link VectorMath#SUM_LANES} float partials and {@link VectorMath#sum16}. */
    public static double sum(float[] x, int off, int n) {
        double total = 0;
        for (int c0 = 0; c0 < n; c0 += CHUNK) {
            int c1 = Math.min(n, c0 + CHUNK);
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int i = c0; i < c1; i += VectorMath.SUM_LANES) {
                a0 = a0.add(FloatVector.fromArray(F, x, off + i, F.indexInRange(i, c1)));
                if (VectorMath.SUM_VECTORS > 1) a1 = a1.add(FloatVector.fromArray(F, x, off + i + FL, F.indexInRange(i + FL, c1)));
                if (VectorMath.SUM_VECTORS > 2) {
                    a2 = a2.add(FloatVector.fromArray(F, x, off + i + 2 * FL, F.indexInRange(i + 2 * FL, c1)));
                    a3 = a3.add(FloatVector.fromArray(F, x, off + i + 3 * FL, F.indexInRange(i + 3 * FL, c1)));
                }
            }
            total += VectorMath.sum16(a0, a1, a2, a3);
        }
        return total;
    }

    /** Σ (x - mean)² over x[off .. off+n) (mean = 0 gives the sum of squares), partials as in {@link #sum}. */
    public static double sumSquares(float[] x, int off, int n, float mean) {
        double total = 0;
        for (int c0 = 0; c0 < n; c0 += CHUNK) {
            int c1 = Math.min(n, c0 + CHUNK);
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int i = c0; i < c1; i += VectorMath.SUM_LANES) {
                a0 = squares(x, off, i, c1, mean, a0);
                if (VectorMath.SUM_VECTORS > 1) a1 = squares(x, off, i + FL, c1, mean, a1);
                if (VectorMath.SUM_VECTORS > 2) {
                    a2 = squares(x, off, i + 2 * FL, c1, mean, a2);
                    a3 = squares(x, off, i + 3 * FL, c1, mean, a3);
                }
            }
            total += VectorMath.sum16(a0, a1, a2, a3);
        }
        return total;
    }

    /** {@code acc + (x - mean)²} for the lanes at i below c1 (+0 elsewhere). Small: inlined, so nothing is boxed. */
    private static FloatVector squares(float[] x, int off, int i, int c1, float mean, FloatVector acc) {
        VectorMask<Float> m = F.indexInRange(i, c1);
        FloatVector d = FloatVector.fromArray(F, x, off + i, m).sub(mean).blend(0f, m.not());
        return d.fma(d, acc);
    }

    private static int rowsPerItem(int c) { return Math.max(1, Pointwise.GRAIN / Math.max(1, c)); }

    /** LayerNorm of rows of length c; w, b may be null. */
    public static float[] layerNorm(Workers wk, float[] x, int c, float[] w, float[] b, float eps) {
        float[] out = new float[x.length];
        int rows = c == 0 ? 0 : x.length / c, per = rowsPerItem(c), items = Workers.chunks(rows, per);
        wk.forEach(items, items > 1, (worker, item) -> {
            for (int r = item * per; r < Math.min(rows, (item + 1) * per); r++) {
                int o = r * c;
                float mean = (float) (sum(x, o, c) / c);
                float inv = (float) (1.0 / Math.sqrt(sumSquares(x, o, c, mean) / c + eps));
                for (int i = 0; i < c; i += FL) {
                    VectorMask<Float> m = F.indexInRange(i, c);
                    FloatVector v = FloatVector.fromArray(F, x, o + i, m).sub(mean).mul(inv);
                    if (w != null) v = v.mul(FloatVector.fromArray(F, w, i, m));
                    if (b != null) v = v.add(FloatVector.fromArray(F, b, i, m));
                    v.intoArray(out, o + i, m);
                }
            }
        });
        return out;
    }

    /** RMSNorm of rows of length c: x / sqrt(mean(x²) + eps) · s (s may be null). */
    public static float[] rmsNorm(Workers wk, float[] x, int c, float[] s, float eps) {
        float[] out = new float[x.length];
        int rows = c == 0 ? 0 : x.length / c, per = rowsPerItem(c), items = Workers.chunks(rows, per);
        wk.forEach(items, items > 1, (worker, item) -> {
            for (int r = item * per; r < Math.min(rows, (item + 1) * per); r++) {
                int o = r * c;
                float inv = (float) (1.0 / Math.sqrt(sumSquares(x, o, c, 0f) / c + eps));
                for (int i = 0; i < c; i += FL) {
                    VectorMask<Float> m = F.indexInRange(i, c);
                    FloatVector v = FloatVector.fromArray(F, x, o + i, m).mul(inv);
                    if (s != null) v = v.mul(FloatVector.fromArray(F, s, i, m));
                    v.intoArray(out, o + i, m);
                }
            }
        });
        return out;
    }

    /** GroupNorm of [B, C, spatial]: statistics per (batch, group of C/groups channels); affine per channel. */
    public static float[] groupNorm(Workers wk, float[] x, int b, int c, int spatial, int groups, float[] w, float[] bias, float eps) {
        float[] out = new float[x.length];
        int cg = c / groups, len = cg * spatial;
        wk.forEach(b * groups, (long) x.length > Pointwise.GRAIN, (worker, item) -> {
            int n = item / groups, g = item % groups, o = (n * c + g * cg) * spatial;
            float mean = (float) (sum(x, o, len) / len);
            float inv = (float) (1.0 / Math.sqrt(sumSquares(x, o, len, mean) / len + eps));
            for (int ch = 0; ch < cg; ch++) {
                int cc = g * cg + ch, co = o + ch * spatial;
                float wc = w == null ? 1f : w[cc], bc = bias == null ? 0f : bias[cc];
                for (int i = 0; i < spatial; i += FL) {
                    VectorMask<Float> m = F.indexInRange(i, spatial);
                    FloatVector v = FloatVector.fromArray(F, x, co + i, m).sub(mean).mul(inv);
                    if (w != null) v = v.mul(wc);
                    if (bias != null) v = v.add(bc);
                    v.intoArray(out, co + i, m);
                }
            }
        });
        return out;
    }

    /** Softmax over rows of length c. */
    public static float[] softmax(Workers wk, float[] x, int c) {
        float[] out = new float[x.length];
        int rows = c == 0 ? 0 : x.length / c, per = rowsPerItem(c), items = Workers.chunks(rows, per);
        wk.forEach(items, items > 1, (worker, item) -> {
            for (int r = item * per; r < Math.min(rows, (item + 1) * per); r++) {
                int o = r * c;
                FloatVector mx = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
                for (int i = 0; i < c; i += FL) {
                    VectorMask<Float> m = F.indexInRange(i, c);
                    mx = mx.max(FloatVector.fromArray(F, x, o + i, m).blend(Float.NEGATIVE_INFINITY, m.not()));
                }
                float max = VectorMath.max(mx);
                VectorMath.expShifted(x, o, out, o, c, max, null);
                float total = (float) sum(out, o, c);
                for (int i = 0; i < c; i += FL) {
                    VectorMask<Float> m = F.indexInRange(i, c);
                    FloatVector.fromArray(F, out, o + i, m).div(total).intoArray(out, o + i, m);
                }
            }
        });
        return out;
    }
}
