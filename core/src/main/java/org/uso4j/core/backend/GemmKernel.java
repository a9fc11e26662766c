package org.uso4j.core.backend;

import static org.uso4j.core.backend.VectorMath.F;
import static org.uso4j.core.backend.VectorMath.FL;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Register-blocked outer-product micro-kernels: {@code C[i, j..j+NR) (+)= Σ_k A(i, k) · B[k, j..j+NR)} with A read
 * by broadcast at {@code a[aOff + i·ars + k·aks]} (any strides), B k-major with row stride {@code ldb} (a packed
 * panel, an im2col block, K-transposed or V rows) and C row stride {@code ldc}.
 *
 * <p>Every C element is one fused-multiply-add chain over k = 0, 1, ... in order, starting from 0 or from C: the
 * bits do not depend on which kernel (6 rows or 1, full or masked) computes it, nor on any blocking or thread.
 * Scalar twin: the plain triple loop of {@link ScalarBackend#matmul}.
 */
final class GemmKernel {
    private GemmKernel() {}

    /** Rows per register block. */
    static final int MR = 6;
    /** Columns per register block: two vectors. */
    static final int NR = 2 * FL;

    /** A block of rows [0, rows) × columns [0, cols) (cols <= NR) over kc steps; picks the 6-row kernel where it fits. */
    static void tile(float[] a, int aOff, int ars, int aks, int rows, float[] b, int bOff, int ldb, int kc,
                     float[] c, int cOff, int ldc, int cols, boolean accumulate) {
        int i = 0;
        if (cols == NR) {
            for (; i + MR <= rows; i += MR) {
                full(a, aOff + i * ars, ars, aks, b, bOff, ldb, kc, c, cOff + i * ldc, ldc, accumulate);
            }
        }
        for (; i < rows; i++) row(a, aOff + i * ars, aks, b, bOff, ldb, kc, c, cOff + i * ldc, cols, accumulate);
    }

    /** 6 rows × NR columns: 12 vector accumulators, 2 B loads and 6 broadcasts per k. */
    static void full(float[] a, int a0, int ars, int aks, float[] b, int b0, int ldb, int kc,
                     float[] c, int c0, int ldc, boolean accumulate) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (accumulate) {
            c00 = FloatVector.fromArray(F, c, c0); c01 = FloatVector.fromArray(F, c, c0 + FL);
            c10 = FloatVector.fromArray(F, c, c0 + ldc); c11 = FloatVector.fromArray(F, c, c0 + ldc + FL);
            c20 = FloatVector.fromArray(F, c, c0 + 2 * ldc); c21 = FloatVector.fromArray(F, c, c0 + 2 * ldc + FL);
            c30 = FloatVector.fromArray(F, c, c0 + 3 * ldc); c31 = FloatVector.fromArray(F, c, c0 + 3 * ldc + FL);
            c40 = FloatVector.fromArray(F, c, c0 + 4 * ldc); c41 = FloatVector.fromArray(F, c, c0 + 4 * ldc + FL);
            c50 = FloatVector.fromArray(F, c, c0 + 5 * ldc); c51 = FloatVector.fromArray(F, c, c0 + 5 * ldc + FL);
        } else {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = FloatVector.zero(F);
        }
        int r1 = ars, r2 = 2 * ars, r3 = 3 * ars, r4 = 4 * ars, r5 = 5 * ars;
        for (int k = 0; k < kc; k++) {
            int pa = a0 + k * aks, pb = b0 + k * ldb;
            FloatVector b0v = FloatVector.fromArray(F, b, pb), b1v = FloatVector.fromArray(F, b, pb + FL);
            FloatVector av = FloatVector.broadcast(F, a[pa]);
            c00 = av.fma(b0v, c00); c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(F, a[pa + r1]);
            c10 = av.fma(b0v, c10); c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(F, a[pa + r2]);
            c20 = av.fma(b0v, c20); c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(F, a[pa + r3]);
            c30 = av.fma(b0v, c30); c31 = av.fma(b1v, c31);
            av = FloatVector.broadcast(F, a[pa + r4]);
            c40 = av.fma(b0v, c40); c41 = av.fma(b1v, c41);
            av = FloatVector.broadcast(F, a[pa + r5]);
            c50 = av.fma(b0v, c50); c51 = av.fma(b1v, c51);
        }
        c00.intoArray(c, c0); c01.intoArray(c, c0 + FL);
        c10.intoArray(c, c0 + ldc); c11.intoArray(c, c0 + ldc + FL);
        c20.intoArray(c, c0 + 2 * ldc); c21.intoArray(c, c0 + 2 * ldc + FL);
        c30.intoArray(c, c0 + 3 * ldc); c31.intoArray(c, c0 + 3 * ldc + FL);
        c40.intoArray(c, c0 + 4 * ldc); c41.intoArray(c, c0 + 4 * ldc + FL);
        c50.intoArray(c, c0 + 5 * ldc); c51.intoArray(c, c0 + 5 * ldc + FL);
    }

    /** One row × {@code cols} (<= NR) columns, masked: row and column tails. Same fma chain per element as {@link #full}. */
    static void row(float[] a, int a0, int aks, float[] b, int b0, int ldb, int kc,
                    float[] c, int c0, int cols, boolean accumulate) {
        VectorMask<Float> m0 = F.indexInRange(0, cols), m1 = F.indexInRange(FL, cols);
        FloatVector acc0 = accumulate ? FloatVector.fromArray(F, c, c0, m0) : FloatVector.zero(F);
        FloatVector acc1 = accumulate && cols > FL ? FloatVector.fromArray(F, c, c0 + FL, m1) : FloatVector.zero(F);
        if (cols > FL) {
            for (int k = 0; k < kc; k++) {
                int pb = b0 + k * ldb;
                FloatVector av = FloatVector.broadcast(F, a[a0 + k * aks]);
                acc0 = av.fma(FloatVector.fromArray(F, b, pb, m0), acc0);
                acc1 = av.fma(FloatVector.fromArray(F, b, pb + FL, m1), acc1);
            }
            acc0.intoArray(c, c0, m0);
            acc1.intoArray(c, c0 + FL, m1);
        } else {
            for (int k = 0; k < kc; k++) {
                FloatVector av = FloatVector.broadcast(F, a[a0 + k * aks]);
                acc0 = av.fma(FloatVector.fromArray(F, b, b0 + k * ldb, m0), acc0);
            }
            acc0.intoArray(c, c0, m0);
        }
    }
}
