package org.uso4j.core.backend.cpu.gemm;

import static org.uso4j.core.backend.cpu.simd.VectorMath.F;
import static org.uso4j.core.backend.cpu.simd.VectorMath.FL;
import static org.uso4j.core.backend.cpu.simd.VectorMath.SUM_LANES;
import static org.uso4j.core.backend.cpu.simd.VectorMath.SUM_VECTORS;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import org.uso4j.core.DType;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.core.backend.cpu.Workers;
import org.uso4j.core.backend.cpu.simd.VectorDequantize;
import org.uso4j.core.backend.cpu.simd.VectorMath;

/**
 * {@code y[r, o] = x[r, :] · W[o, :] + bias[o]} for few rows (the memory-bound case: a weight element is used
 * by only a handful of rows, so it is streamed once and never packed). Each weight row is read (F32) or widened
 * (BF16) or decoded ({@link VectorDequantize}) into a scratch row; dot products
 * run along K with lane accumulators summed in a fixed tree ({@link VectorMath#sum}). Work items are chunks of
 * output columns. Scalar twin: {@link ScalarBackend#linear}.
 */
public final class Gemv {
    private Gemv() {}

    /** Below this many rows {@link CpuBackend#linear} uses this kernel instead of the packed {@link Gemm}. */
    public static final int MAX_ROWS = 16;
    private static final int COLS_PER_ITEM = 32;

    public static void run(Workers workers, float[] x, int rows, int k, Tensor w, float[] bias, float[] y) {
        int n = w.dim(0);
        int items = (n + COLS_PER_ITEM - 1) / COLS_PER_ITEM;
        float[][] rowBufs = new float[workers.threads()][];
        DType type = w.dtype();
        float[] dense = w.isDenseF32() ? w.floats() : null;
        MemorySegment seg = w.segment();
        workers.forEach(items, (long) n * k * rows > 100_000, (worker, item) -> {
            if (rowBufs[worker] == null) rowBufs[worker] = new float[k];
            float[] buf = rowBufs[worker];
            int o1 = Math.min(n, (item + 1) * COLS_PER_ITEM);
            for (int o = item * COLS_PER_ITEM; o < o1; o++) {
                float[] wr;
                int wOff;
                if (dense != null) {
                    wr = dense;
                    wOff = o * k;
                } else {
                    decodeRow(type, seg, (long) o * k, k, buf);
                    wr = buf;
                    wOff = 0;
                }
                float b = bias == null ? 0f : bias[o];
                int r = 0;
                for (; r + 4 <= rows; r += 4) dot4(x, r * k, k, wr, wOff, y, r * n + o, n, b);
                for (; r < rows; r++) y[r * n + o] = dot(x, r * k, k, wr, wOff) + b;
            }
        });
    }

    /** One weight row to float32 ({@link VectorDequantize}). */
    public static void decodeRow(DType type, MemorySegment seg, long firstElem, int k, float[] dst) {
        VectorDequantize.decode(type, seg, firstElem, dst, 0, k);
    }

    /**
     * {@code Σ x[x0 + i]·w[w0 + i]} over {@link VectorMath#SUM_LANES} partial fma chains (element i in chain i % 16,
     * the tail masked) added by {@link VectorMath#sum16}: the same bits at every vector width.
     */
    public static float dot(float[] x, int x0, int k, float[] w, int w0) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i + SUM_LANES <= k; i += SUM_LANES) {
            a0 = FloatVector.fromArray(F, x, x0 + i).fma(FloatVector.fromArray(F, w, w0 + i), a0);
            if (SUM_VECTORS > 1) a1 = FloatVector.fromArray(F, x, x0 + i + FL).fma(FloatVector.fromArray(F, w, w0 + i + FL), a1);
            if (SUM_VECTORS > 2) {
                a2 = FloatVector.fromArray(F, x, x0 + i + 2 * FL).fma(FloatVector.fromArray(F, w, w0 + i + 2 * FL), a2);
                a3 = FloatVector.fromArray(F, x, x0 + i + 3 * FL).fma(FloatVector.fromArray(F, w, w0 + i + 3 * FL), a3);
            }
        }
        if (i < k) {
            VectorMask<Float> m0 = F.indexInRange(i, k);
            a0 = FloatVector.fromArray(F, x, x0 + i, m0).fma(FloatVector.fromArray(F, w, w0 + i, m0), a0);
            if (SUM_VECTORS > 1) { // all-false masks too: masked lanes get +0, as one 16-lane vector's would
                VectorMask<Float> m1 = F.indexInRange(i + FL, k);
                a1 = FloatVector.fromArray(F, x, x0 + i + FL, m1).fma(FloatVector.fromArray(F, w, w0 + i + FL, m1), a1);
            }
            if (SUM_VECTORS > 2) {
                VectorMask<Float> m2 = F.indexInRange(i + 2 * FL, k);
                a2 = FloatVector.fromArray(F, x, x0 + i + 2 * FL, m2).fma(FloatVector.fromArray(F, w, w0 + i + 2 * FL, m2), a2);
            }
            if (SUM_VECTORS > 2) {
                VectorMask<Float> m3 = F.indexInRange(i + 3 * FL, k);
                a3 = FloatVector.fromArray(F, x, x0 + i + 3 * FL, m3).fma(FloatVector.fromArray(F, w, w0 + i + 3 * FL, m3), a3);
            }
        }
        return VectorMath.sum16(a0, a1, a2, a3);
    }

    /**
     * Four consecutive x rows against one weight row (each weight vector loaded once); the same chains and sum per
     * output as {@link #dot}. At four lanes a row's 16 chains take four vectors, so rows go two at a time there.
     */
    private static void dot4(float[] x, int x0, int k, float[] w, int w0, float[] y, int y0, int ldy, float b) {
        if (SUM_VECTORS > 2) {
            dot2(x, x0, k, w, w0, y, y0, ldy, b);
            dot2(x, x0 + 2 * k, k, w, w0, y, y0 + 2 * ldy, ldy, b);
            return;
        }
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        int i = 0;
        for (; i + SUM_LANES <= k; i += SUM_LANES) {
            FloatVector wv = FloatVector.fromArray(F, w, w0 + i);
            a0 = FloatVector.fromArray(F, x, x0 + i).fma(wv, a0);
            a1 = FloatVector.fromArray(F, x, x0 + k + i).fma(wv, a1);
            a2 = FloatVector.fromArray(F, x, x0 + 2 * k + i).fma(wv, a2);
            a3 = FloatVector.fromArray(F, x, x0 + 3 * k + i).fma(wv, a3);
            if (SUM_VECTORS > 1) {
                FloatVector wu = FloatVector.fromArray(F, w, w0 + i + FL);
                b0 = FloatVector.fromArray(F, x, x0 + i + FL).fma(wu, b0);
                b1 = FloatVector.fromArray(F, x, x0 + k + i + FL).fma(wu, b1);
                b2 = FloatVector.fromArray(F, x, x0 + 2 * k + i + FL).fma(wu, b2);
                b3 = FloatVector.fromArray(F, x, x0 + 3 * k + i + FL).fma(wu, b3);
            }
        }
        if (i < k) {
            VectorMask<Float> m = F.indexInRange(i, k);
            FloatVector wv = FloatVector.fromArray(F, w, w0 + i, m);
            a0 = FloatVector.fromArray(F, x, x0 + i, m).fma(wv, a0);
            a1 = FloatVector.fromArray(F, x, x0 + k + i, m).fma(wv, a1);
            a2 = FloatVector.fromArray(F, x, x0 + 2 * k + i, m).fma(wv, a2);
            a3 = FloatVector.fromArray(F, x, x0 + 3 * k + i, m).fma(wv, a3);
            if (SUM_VECTORS > 1) { // all-false masks too: masked lanes get +0, as one 16-lane vector's would
                VectorMask<Float> n = F.indexInRange(i + FL, k);
                FloatVector wu = FloatVector.fromArray(F, w, w0 + i + FL, n);
                b0 = FloatVector.fromArray(F, x, x0 + i + FL, n).fma(wu, b0);
                b1 = FloatVector.fromArray(F, x, x0 + k + i + FL, n).fma(wu, b1);
                b2 = FloatVector.fromArray(F, x, x0 + 2 * k + i + FL, n).fma(wu, b2);
                b3 = FloatVector.fromArray(F, x, x0 + 3 * k + i + FL, n).fma(wu, b3);
            }
        }
        FloatVector z = FloatVector.zero(F);
        y[y0] = VectorMath.sum16(a0, b0, z, z) + b;
        y[y0 + ldy] = VectorMath.sum16(a1, b1, z, z) + b;
        y[y0 + 2 * ldy] = VectorMath.sum16(a2, b2, z, z) + b;
        y[y0 + 3 * ldy] = VectorMath.sum16(a3, b3, z, z) + b;
    }

    /** Two rows at four lanes per vector (16 chains each: 8 accumulators), as {@link #dot}. */
    private static void dot2(float[] x, int x0, int k, float[] w, int w0, float[] y, int y0, int ldy, float b) {
        y[y0] = dot(x, x0, k, w, w0) + b;
        y[y0 + ldy] = dot(x, x0 + k, k, w, w0) + b;
    }
}
