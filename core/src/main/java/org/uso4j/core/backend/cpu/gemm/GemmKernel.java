package org.uso4j.core.backend.cpu.gemm;

import static org.uso4j.core.backend.cpu.simd.VectorMath.F;
import static org.uso4j.core.backend.cpu.simd.VectorMath.FL;

import jdk.incubator.vector.FloatVector;
import org.uso4j.core.backend.ScalarBackend;

/**
 * The register-blocked GEMM micro-kernel: {@code C[i, j..j+NR) (+)= Σ_k A[i, k] · B[k, j..j+NR)} for {@value #MR}
 * rows × {@value #NR} columns, A a packed micro-panel {@code a[aOff + k·MR + i]} (broadcast) and B a packed panel
 * {@code b[bOff + k·NR + j]} (two vector loads per k). 24 vector accumulators, 2 B registers and 1 broadcast fill
 * the 32 AVX-512 registers; both operands stream sequentially with constant strides, so the loop is free of
 * bounds checks and written out flat (a helper the JIT does not inline collapses throughput).
 *
 * <p>Every C element is one fused-multiply-add chain over k = 0, 1, ... in order, starting from 0 or from C: the
 * bits do not depend on which kernel (full or {@link #edge}) computes it, nor on any blocking or thread. Scalar
 * twin: the plain triple loop of {@link ScalarBackend#matmul} / {@link ScalarBackend#linear}.
 */
public final class GemmKernel {
    private GemmKernel() {}

    /** Rows per register block (the packed A micro-panel width). */
    public static final int MR = 12;
    /** Columns per register block and per packed panel: two vectors of 16 floats (AVX-512). */
    public static final int NR = 32;

    static {
        if (NR % FL != 0) throw new ExceptionInInitializerError("NR " + NR + " is not a multiple of the vector length " + FL);
    }

    /**
     * Rows [0, rows) × columns [0, cols) of one register block ({@code rows <= MR}, {@code cols <= NR}): the full
     * kernel straight into C, or through the {@code tile} scratch ({@code MR·NR} floats) at the edges.
     */
    public static void block(float[] a, int aOff, float[] b, int bOff, int kc, float[] c, int cOff, int ldc,
                      int rows, int cols, boolean accumulate, float[] tile) {
        if (rows == MR && cols == NR) {
            full(a, aOff, b, bOff, kc, c, cOff, ldc, accumulate);
            return;
        }
        if (accumulate) {
            for (int i = 0; i < rows; i++) System.arraycopy(c, cOff + i * ldc, tile, i * NR, cols);
        }
        full(a, aOff, b, bOff, kc, tile, 0, NR, accumulate);
        for (int i = 0; i < rows; i++) System.arraycopy(tile, i * NR, c, cOff + i * ldc, cols);
    }

    /** {@value #MR} × {@value #NR} from packed A and B. */
    public static void full(float[] a, int a0, float[] b, int b0, int kc, float[] c, int c0, int ldc, boolean accumulate) {
        if (FL != 16) {
            generic(a, a0, b, b0, kc, c, c0, ldc, accumulate);
            return;
        }
        FloatVector c0a, c0b, c1a, c1b, c2a, c2b, c3a, c3b, c4a, c4b, c5a, c5b, c6a, c6b, c7a, c7b, c8a, c8b, c9a, c9b, c10a, c10b, c11a, c11b;
        if (accumulate) {
            c0a = FloatVector.fromArray(F, c, c0 + 0 * ldc); c0b = FloatVector.fromArray(F, c, c0 + 0 * ldc + 16);
            c1a = FloatVector.fromArray(F, c, c0 + 1 * ldc); c1b = FloatVector.fromArray(F, c, c0 + 1 * ldc + 16);
            c2a = FloatVector.fromArray(F, c, c0 + 2 * ldc); c2b = FloatVector.fromArray(F, c, c0 + 2 * ldc + 16);
            c3a = FloatVector.fromArray(F, c, c0 + 3 * ldc); c3b = FloatVector.fromArray(F, c, c0 + 3 * ldc + 16);
            c4a = FloatVector.fromArray(F, c, c0 + 4 * ldc); c4b = FloatVector.fromArray(F, c, c0 + 4 * ldc + 16);
            c5a = FloatVector.fromArray(F, c, c0 + 5 * ldc); c5b = FloatVector.fromArray(F, c, c0 + 5 * ldc + 16);
            c6a = FloatVector.fromArray(F, c, c0 + 6 * ldc); c6b = FloatVector.fromArray(F, c, c0 + 6 * ldc + 16);
            c7a = FloatVector.fromArray(F, c, c0 + 7 * ldc); c7b = FloatVector.fromArray(F, c, c0 + 7 * ldc + 16);
            c8a = FloatVector.fromArray(F, c, c0 + 8 * ldc); c8b = FloatVector.fromArray(F, c, c0 + 8 * ldc + 16);
            c9a = FloatVector.fromArray(F, c, c0 + 9 * ldc); c9b = FloatVector.fromArray(F, c, c0 + 9 * ldc + 16);
            c10a = FloatVector.fromArray(F, c, c0 + 10 * ldc); c10b = FloatVector.fromArray(F, c, c0 + 10 * ldc + 16);
            c11a = FloatVector.fromArray(F, c, c0 + 11 * ldc); c11b = FloatVector.fromArray(F, c, c0 + 11 * ldc + 16);
        } else {
            c0a = c0b = c1a = c1b = c2a = c2b = c3a = c3b = c4a = c4b = c5a = c5b = c6a = c6b = c7a = c7b = c8a = c8b = c9a = c9b = c10a = c10b = c11a = c11b = FloatVector.zero(F);
        }
        for (int k = 0; k < kc; k++) {
            int pa = a0 + k * MR, pb = b0 + k * NR;
            FloatVector x = FloatVector.fromArray(F, b, pb), y = FloatVector.fromArray(F, b, pb + 16);
            FloatVector s;
            s = FloatVector.broadcast(F, a[pa + 0]); c0a = s.fma(x, c0a); c0b = s.fma(y, c0b);
            s = FloatVector.broadcast(F, a[pa + 1]); c1a = s.fma(x, c1a); c1b = s.fma(y, c1b);
            s = FloatVector.broadcast(F, a[pa + 2]); c2a = s.fma(x, c2a); c2b = s.fma(y, c2b);
            s = FloatVector.broadcast(F, a[pa + 3]); c3a = s.fma(x, c3a); c3b = s.fma(y, c3b);
            s = FloatVector.broadcast(F, a[pa + 4]); c4a = s.fma(x, c4a); c4b = s.fma(y, c4b);
            s = FloatVector.broadcast(F, a[pa + 5]); c5a = s.fma(x, c5a); c5b = s.fma(y, c5b);
            s = FloatVector.broadcast(F, a[pa + 6]); c6a = s.fma(x, c6a); c6b = s.fma(y, c6b);
            s = FloatVector.broadcast(F, a[pa + 7]); c7a = s.fma(x, c7a); c7b = s.fma(y, c7b);
            s = FloatVector.broadcast(F, a[pa + 8]); c8a = s.fma(x, c8a); c8b = s.fma(y, c8b);
            s = FloatVector.broadcast(F, a[pa + 9]); c9a = s.fma(x, c9a); c9b = s.fma(y, c9b);
            s = FloatVector.broadcast(F, a[pa + 10]); c10a = s.fma(x, c10a); c10b = s.fma(y, c10b);
            s = FloatVector.broadcast(F, a[pa + 11]); c11a = s.fma(x, c11a); c11b = s.fma(y, c11b);
        }
        c0a.intoArray(c, c0 + 0 * ldc); c0b.intoArray(c, c0 + 0 * ldc + 16);
        c1a.intoArray(c, c0 + 1 * ldc); c1b.intoArray(c, c0 + 1 * ldc + 16);
        c2a.intoArray(c, c0 + 2 * ldc); c2b.intoArray(c, c0 + 2 * ldc + 16);
        c3a.intoArray(c, c0 + 3 * ldc); c3b.intoArray(c, c0 + 3 * ldc + 16);
        c4a.intoArray(c, c0 + 4 * ldc); c4b.intoArray(c, c0 + 4 * ldc + 16);
        c5a.intoArray(c, c0 + 5 * ldc); c5b.intoArray(c, c0 + 5 * ldc + 16);
        c6a.intoArray(c, c0 + 6 * ldc); c6b.intoArray(c, c0 + 6 * ldc + 16);
        c7a.intoArray(c, c0 + 7 * ldc); c7b.intoArray(c, c0 + 7 * ldc + 16);
        c8a.intoArray(c, c0 + 8 * ldc); c8b.intoArray(c, c0 + 8 * ldc + 16);
        c9a.intoArray(c, c0 + 9 * ldc); c9b.intoArray(c, c0 + 9 * ldc + 16);
        c10a.intoArray(c, c0 + 10 * ldc); c10b.intoArray(c, c0 + 10 * ldc + 16);
        c11a.intoArray(c, c0 + 11 * ldc); c11b.intoArray(c, c0 + 11 * ldc + 16);
    }

    /** The same chains for any vector length (not the AVX-512 hot path): one row and one vector at a time. */
    private static void generic(float[] a, int a0, float[] b, int b0, int kc, float[] c, int c0, int ldc, boolean accumulate) {
        for (int i = 0; i < MR; i++) {
            for (int j = 0; j < NR; j += FL) {
                FloatVector acc = accumulate ? FloatVector.fromArray(F, c, c0 + i * ldc + j) : FloatVector.zero(F);
                for (int k = 0; k < kc; k++) acc = FloatVector.broadcast(F, a[a0 + k * MR + i]).fma(FloatVector.fromArray(F, b, b0 + k * NR + j), acc);
                acc.intoArray(c, c0 + i * ldc + j);
            }
        }
    }
}
