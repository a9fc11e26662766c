package org.uso4j.core.backend.cpu.gemm;

import static org.uso4j.core.backend.cpu.gemm.GemmKernel.NR;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.uso4j.core.DType;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.cpu.simd.VectorDequantize;

/**
 * The B operand of a GEMM as K-major panels of {@link GemmKernel#NR} columns: {@link #pack} decodes columns
 * [c0, c0+cols) × k in [k0, k0+kc) into {@code dst[off + k·NR + j]} (float32), zero-filling columns cols..NR-1.
 * Weights are decoded here, one panel at a time, from their stored dtype: never as a whole. Stored rows are
 * decoded with {@link VectorDequantize} (row runs, contiguous) into a scratch tile and transposed into the panel.
 */
public sealed interface Panels permits Panels.DenseRows, Panels.StoredRows, Panels.DenseColumns, Conv2dKernel.Im2col {
    /** {@code scratch} holds at least {@link #scratchFloats} floats; {@code kc <= Gemm.KC}. */
    public void pack(int c0, int cols, int k0, int kc, float[] dst, int off, float[] scratch);

    public static int scratchFloats() { return NR * Gemm.KC; }

    /** Rows of a weight {@code [N, K]} of any dtype: B(k, n) = W[n, k] (a linear layer's {@code Wᵀ}). */
    public static Panels ofRows(Tensor w, long firstRow, int k) {
        if (w.isDenseF32()) return new DenseRows(w.floats(), Math.toIntExact(firstRow * k), k);
        return new StoredRows(w.dtype(), w.segment(), firstRow * k, k);
    }

    /** A dense {@code [K, N]} float32 matrix at {@code off}: B(k, n) = b[off + k·N + n]. */
    public static Panels ofColumns(float[] b, int off, int n) { return new DenseColumns(b, off, n); }

    /**
     * {@code dst[off + kk·NR + j] = src[so + j·lds + kk]} for j < cols, kk < kc; zero for j >= cols. Eight columns
     * at a time so each k writes whole runs of the panel row.
     */
    public static void transpose(float[] src, int so, int lds, int cols, int kc, float[] dst, int off) {
        int j = 0;
        for (; j + 8 <= cols; j += 8) {
            int s0 = so + j * lds;
            for (int kk = 0; kk < kc; kk++) {
                int d = off + kk * NR + j, s = s0 + kk;
                dst[d] = src[s];
                dst[d + 1] = src[s + lds];
                dst[d + 2] = src[s + 2 * lds];
                dst[d + 3] = src[s + 3 * lds];
                dst[d + 4] = src[s + 4 * lds];
                dst[d + 5] = src[s + 5 * lds];
                dst[d + 6] = src[s + 6 * lds];
                dst[d + 7] = src[s + 7 * lds];
            }
        }
        for (; j < cols; j++) {
            for (int kk = 0; kk < kc; kk++) dst[off + kk * NR + j] = src[so + j * lds + kk];
        }
        if (cols < NR) {
            for (int kk = 0; kk < kc; kk++) Arrays.fill(dst, off + kk * NR + cols, off + (kk + 1) * NR, 0f);
        }
    }

    /** A float32 row-major [N, K] array. */
    public record DenseRows(float[] w, int base, int k) implements Panels {
        @Override public void pack(int c0, int cols, int k0, int kc, float[] dst, int off, float[] scratch) {
            transpose(w, base + c0 * k + k0, k, cols, kc, dst, off);
        }
    }

    /** A stored (memory-mapped) [N, K] weight of any dtype, decoded a row run at a time. */
    public record StoredRows(DType type, MemorySegment seg, long firstElem, int k) implements Panels {
        @Override public void pack(int c0, int cols, int k0, int kc, float[] dst, int off, float[] scratch) {
            for (int j = 0; j < cols; j++) {
                VectorDequantize.decode(type, seg, firstElem + (long) (c0 + j) * k + k0, scratch, j * Gemm.KC, kc);
            }
            transpose(scratch, 0, Gemm.KC, cols, kc, dst, off);
        }
    }

    /** A float32 row-major [K, N] array. */
    public record DenseColumns(float[] b, int base, int n) implements Panels {
        @Override public void pack(int c0, int cols, int k0, int kc, float[] dst, int off, float[] scratch) {
            for (int kk = 0; kk < kc; kk++) {
                System.arraycopy(b, base + (k0 + kk) * n + c0, dst, off + kk * NR, cols);
                if (cols < NR) Arrays.fill(dst, off + kk * NR + cols, off + (kk + 1) * NR, 0f);
            }
        }
    }
}
