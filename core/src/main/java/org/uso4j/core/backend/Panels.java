package org.uso4j.core.backend;

import static org.uso4j.core.backend.GemmKernel.NR;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.uso4j.core.DType;
import org.uso4j.core.Dequantize;
import org.uso4j.core.Tensor;

/**
 * The B operand of a GEMM as K-major panels of {@link GemmKernel#NR} columns: {@link #pack} decodes columns
 * [c0, c0+cols) × k in [k0, k0+kc) into {@code dst[off + k·NR + j]} (float32), zero-filling columns cols..NR-1.
 * Weights are decoded here, one panel at a time, from their stored dtype: never as a whole.
 */
sealed interface Panels {
    /** {@code scratch} holds at least {@link #scratchFloats} floats (a row decode buffer). */
    void pack(int c0, int cols, int k0, int kc, float[] dst, int off, float[] scratch);

    /** Alignment of k0 the source needs (GGML blocks decode whole blocks). */
    default int kAlign() { return 1; }

    static int scratchFloats(int kc) { return kc; }

    /** Rows of a weight {@code [N, K]} of any dtype: B(k, n) = W[n, k] (a linear layer's {@code Wᵀ}). */
    static Panels ofRows(Tensor w, long firstRow, int k) {
        if (w.isDenseF32()) return new DenseRows(w.floats(), Math.toIntExact(firstRow * k), k);
        return new StoredRows(w.dtype(), w.segment(), firstRow * k, k);
    }

    /** A dense {@code [K, N]} float32 matrix at {@code off}: B(k, n) = b[off + k·N + n]. */
    static Panels ofColumns(float[] b, int off, int n) { return new DenseColumns(b, off, n); }

    private static void zeroTail(int cols, int kc, float[] dst, int off) {
        if (cols == NR) return;
        for (int k = 0; k < kc; k++) Arrays.fill(dst, off + k * NR + cols, off + (k + 1) * NR, 0f);
    }

    /** A float32 row-major [N, K] array. */
    record DenseRows(float[] w, int base, int k) implements Panels {
        @Override public void pack(int c0, int cols, int k0, int kc, float[] dst, int off, float[] scratch) {
            for (int j = 0; j < cols; j++) {
                int src = base + (c0 + j) * k + k0;
                for (int kk = 0; kk < kc; kk++) dst[off + kk * NR + j] = w[src + kk];
            }
            zeroTail(cols, kc, dst, off);
        }
    }

    /** A stored (memory-mapped) [N, K] weight of any dtype; F32 and BF16 are read directly, the rest decoded per row. */
    record StoredRows(DType type, MemorySegment seg, long firstElem, int k) implements Panels {
        private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

        @Override public int kAlign() { return type.blockSize(); }

        @Override public void pack(int c0, int cols, int k0, int kc, float[] dst, int off, float[] scratch) {
            for (int j = 0; j < cols; j++) {
                long e = firstElem + (long) (c0 + j) * k + k0;
                switch (type) {
                    case F32 -> {
                        for (int kk = 0; kk < kc; kk++) dst[off + kk * NR + j] = seg.getAtIndex(F32, e + kk);
                    }
                    case BF16 -> {
                        for (int kk = 0; kk < kc; kk++) dst[off + kk * NR + j] = Float.intBitsToFloat(seg.getAtIndex(I16, e + kk) << 16);
                    }
                    default -> {
                        Dequantize.decode(type, seg, e, scratch, 0, kc);
                        for (int kk = 0; kk < kc; kk++) dst[off + kk * NR + j] = scratch[kk];
                    }
                }
            }
            zeroTail(cols, kc, dst, off);
        }
    }

    /** A float32 row-major [K, N] array. */
    record DenseColumns(float[] b, int base, int n) implements Panels {
        @Override public void pack(int c0, int cols, int k0, int kc, float[] dst, int off, float[] scratch) {
            for (int kk = 0; kk < kc; kk++) {
                System.arraycopy(b, base + (k0 + kk) * n + c0, dst, off + kk * NR, cols);
                if (cols < NR) Arrays.fill(dst, off + kk * NR + cols, off + (kk + 1) * NR, 0f);
            }
        }
    }
}
