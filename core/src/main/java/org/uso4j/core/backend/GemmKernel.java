package org.uso4j.core.backend;

import static org.uso4j.core.backend.VectorMath.F;
import static org.uso4j.core.backend.VectorMath.FL;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Register-blocked outer-product micro-kernels: {@code C[i, j..j+NR) (+)= Σ_k A[i, k] · B[k, j..j+NR)} with A read
 * by broadcast at {@code a[aOff + i·ars + k]} and B a packed panel {@code b[bOff + k·NR + j]} (NR columns per k,
 * zero-padded). Unit and constant strides keep the hot loop free of bounds checks (variable strides cost 20%).
 *
 * <p>Every C element is one fused-multiply-add chain over k = 0, 1, ... in order, starting from 0 or from C: the
 * bits do not depend on which kernel ({@value #MR} rows or 1, full or masked) computes it, nor on any blocking or
 * thread. Scalar twin: the plain triple loop of {@link ScalarBackend#matmul}.
 */
final class GemmKernel {
    private GemmKernel() {}

    /** Rows per register block. */
    static final int MR = 8;
    /** Columns per register block and per packed panel: two vectors. */
    static final int NR = 2 * FL;

    /** Rows [0, rows) × columns [0, cols) (cols <= NR) over kc steps; the {@value #MR}-row kernel where it fits. */
    static void tile(float[] a, int aOff, int ars, int rows, float[] b, int bOff, int kc,
                     float[] c, int cOff, int ldc, int cols, boolean accumulate) {
        int i = 0;
        if (cols == NR) {
            for (; i + MR <= rows; i += MR) full(a, aOff + i * ars, ars, b, bOff, kc, c, cOff + i * ldc, ldc, accumulate);
        }
        for (; i < rows; i++) row(a, aOff + i * ars, b, bOff, kc, c, cOff + i * ldc, cols, accumulate);
    }

    /** {@value #MR} rows × NR columns: 2·MR vector accumulators, 2 B loads and MR broadcasts per k. */
    static void full(float[] a, int a0, int ars, float[] b, int b0, int kc, float[] c, int c0, int ldc, boolean accumulate) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
        if (accumulate) {
            c00 = FloatVector.fromArray(F, c, c0 + 0 * ldc); c01 = FloatVector.fromArray(F, c, c0 + 0 * ldc + FL);
            c10 = FloatVector.fromArray(F, c, c0 + 1 * ldc); c11 = FloatVector.fromArray(F, c, c0 + 1 * ldc + FL);
            c20 = FloatVector.fromArray(F, c, c0 + 2 * ldc); c21 = FloatVector.fromArray(F, c, c0 + 2 * ldc + FL);
            c30 = FloatVector.fromArray(F, c, c0 + 3 * ldc); c31 = FloatVector.fromArray(F, c, c0 + 3 * ldc + FL);
            c40 = FloatVector.fromArray(F, c, c0 + 4 * ldc); c41 = FloatVector.fromArray(F, c, c0 + 4 * ldc + FL);
            c50 = FloatVector.fromArray(F, c, c0 + 5 * ldc); c51 = FloatVector.fromArray(F, c, c0 + 5 * ldc + FL);
            c60 = FloatVector.fromArray(F, c, c0 + 6 * ldc); c61 = FloatVector.fromArray(F, c, c0 + 6 * ldc + FL);
            c70 = FloatVector.fromArray(F, c, c0 + 7 * ldc); c71 = FloatVector.fromArray(F, c, c0 + 7 * ldc + FL);
        } else {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = c60 = c61 = c70 = c71 = FloatVector.zero(F);
        }
        for (int k = 0; k < kc; k++) {
            int pa = a0 + k, pb = b0 + k * NR;
            FloatVector b0v = FloatVector.fromArray(F, b, pb), b1v = FloatVector.fromArray(F, b, pb + FL);
            FloatVector av;
            av = FloatVector.broadcast(F, a[pa + 0 * ars]);
            c00 = av.fma(b0v, c00); c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(F, a[pa + 1 * ars]);
            c10 = av.fma(b0v, c10); c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(F, a[pa + 2 * ars]);
            c20 = av.fma(b0v, c20); c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(F, a[pa + 3 * ars]);
            c30 = av.fma(b0v, c30); c31 = av.fma(b1v, c31);
            av = FloatVector.broadcast(F, a[pa + 4 * ars]);
            c40 = av.fma(b0v, c40); c41 = av.fma(b1v, c41);
            av = FloatVector.broadcast(F, a[pa + 5 * ars]);
            c50 = av.fma(b0v, c50); c51 = av.fma(b1v, c51);
            av = FloatVector.broadcast(F, a[pa + 6 * ars]);
            c60 = av.fma(b0v, c60); c61 = av.fma(b1v, c61);
            av = FloatVector.broadcast(F, a[pa + 7 * ars]);
            c70 = av.fma(b0v, c70); c71 = av.fma(b1v, c71);
        }
        c00.intoArray(c, c0 + 0 * ldc); c01.intoArray(c, c0 + 0 * ldc + FL);
        c10.intoArray(c, c0 + 1 * ldc); c11.intoArray(c, c0 + 1 * ldc + FL);
        c20.intoArray(c, c0 + 2 * ldc); c21.intoArray(c, c0 + 2 * ldc + FL);
        c30.intoArray(c, c0 + 3 * ldc); c31.intoArray(c, c0 + 3 * ldc + FL);
        c40.intoArray(c, c0 + 4 * ldc); c41.intoArray(c, c0 + 4 * ldc + FL);
        c50.intoArray(c, c0 + 5 * ldc); c51.intoArray(c, c0 + 5 * ldc + FL);
        c60.intoArray(c, c0 + 6 * ldc); c61.intoArray(c, c0 + 6 * ldc + FL);
        c70.intoArray(c, c0 + 7 * ldc); c71.intoArray(c, c0 + 7 * ldc + FL);
    }

    /** One row × {@code cols} (<= NR) columns, C masked: row and column tails. Same fma chain per element as {@link #full}. */
    static void row(float[] a, int a0, float[] b, int b0, int kc, float[] c, int c0, int cols, boolean accumulate) {
        VectorMask<Float> m0 = F.indexInRange(0, cols), m1 = F.indexInRange(FL, cols);
        FloatVector acc0 = accumulate ? FloatVector.fromArray(F, c, c0, m0) : FloatVector.zero(F);
        if (cols > FL) {
            FloatVector acc1 = accumulate ? FloatVector.fromArray(F, c, c0 + FL, m1) : FloatVector.zero(F);
            for (int k = 0; k < kc; k++) {
                int pb = b0 + k * NR;
                FloatVector av = FloatVector.broadcast(F, a[a0 + k]);
                acc0 = av.fma(FloatVector.fromArray(F, b, pb), acc0);
                acc1 = av.fma(FloatVector.fromArray(F, b, pb + FL), acc1);
            }
            acc0.intoArray(c, c0, m0);
            acc1.intoArray(c, c0 + FL, m1);
        } else {
            for (int k = 0; k < kc; k++) {
                acc0 = FloatVector.broadcast(F, a[a0 + k]).fma(FloatVector.fromArray(F, b, b0 + k * NR), acc0);
            }
            acc0.intoArray(c, c0, m0);
        }
    }
}
