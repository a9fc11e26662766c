package org.uso4j.core.backend.cpu.attention;

import static org.uso4j.core.backend.cpu.gemm.GemmKernel.NR;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.uso4j.core.backend.ScalarBackend;

/**
 * The two products of attention with double accumulation: scores {@code S = Q·Kᵀ} (each rounded to float once) and
 * {@code O += P·V} into double outputs. Unscaled attention (T5) has logits in the hundreds, where a float FMA chain
 * loses about one bit per term, and soft attention sums hundreds of value rows; double chains keep both as accurate
 * as the scalar twin ({@link ScalarBackend#attention}, which accumulates in double). K and V arrive packed as double
 * panels ([c][NR keys] and [j][NR channels]).
 */
public final class ScoreKernel {
    private ScoreKernel() {}

    /** Doubles per vector: the float species' width ({@link org.uso4j.core.backend.cpu.Isa#FLOAT}). */
    public static final VectorSpecies<Double> D = VectorSpecies.of(double.class, org.uso4j.core.backend.cpu.Isa.FLOAT.vectorShape());
    public static final int DL = D.length();

    /** Columns per register block: four double vectors (a whole panel at 8 lanes, half at 4, a quarter at 2). */
    private static final int SLICE = 4 * DL;

    static {
        if (NR % SLICE != 0) throw new ExceptionInInitializerError("panel width " + NR + " is not a multiple of 4 double vectors (" + SLICE + ")");
    }

    /**
     * rows query rows (row stride ars) × NR keys of one panel at {@code b[bOff]} ([kc][NR]) → {@code s[sOff + i·lds + j]},
     * in slices of four double vectors: two rows × one slice is 8 accumulators, 4 panel loads and 2 broadcasts, which
     * fits 16 registers at any width. Each score is one in-order double chain over k, the same bits at every width.
     */
    public static void tile(float[] q, int qOff, int ars, int rows, double[] b, int bOff, int kc, float[] s, int sOff, int lds) {
        for (int j0 = 0; j0 < NR; j0 += SLICE) {
            int i = 0;
            for (; i + 2 <= rows; i += 2) two(q, qOff + i * ars, ars, b, bOff + j0, kc, s, sOff + i * lds + j0, lds);
            for (; i < rows; i++) one(q, qOff + i * ars, b, bOff + j0, kc, s, sOff + i * lds + j0);
        }
    }

    /** Two rows × one slice of {@link #SLICE} keys. */
    private static void two(float[] q, int q0, int ars, double[] b, int b0, int kc, float[] s, int s0, int lds) {
        DoubleVector a0 = DoubleVector.zero(D), a1 = a0, a2 = a0, a3 = a0, c0 = a0, c1 = a0, c2 = a0, c3 = a0;
        for (int k = 0; k < kc; k++) {
            int pb = b0 + k * NR;
            DoubleVector k0 = DoubleVector.fromArray(D, b, pb), k1 = DoubleVector.fromArray(D, b, pb + DL),
                    k2 = DoubleVector.fromArray(D, b, pb + 2 * DL), k3 = DoubleVector.fromArray(D, b, pb + 3 * DL);
            DoubleVector x = DoubleVector.broadcast(D, q[q0 + k]), y = DoubleVector.broadcast(D, q[q0 + ars + k]);
            a0 = x.fma(k0, a0); a1 = x.fma(k1, a1); a2 = x.fma(k2, a2); a3 = x.fma(k3, a3);
            c0 = y.fma(k0, c0); c1 = y.fma(k1, c1); c2 = y.fma(k2, c2); c3 = y.fma(k3, c3);
        }
        store(a0, a1, a2, a3, s, s0);
        store(c0, c1, c2, c3, s, s0 + lds);
    }

    /** One row × one slice. */
    private static void one(float[] q, int q0, double[] b, int b0, int kc, float[] s, int s0) {
        DoubleVector a0 = DoubleVector.zero(D), a1 = a0, a2 = a0, a3 = a0;
        for (int k = 0; k < kc; k++) {
            int pb = b0 + k * NR;
            DoubleVector x = DoubleVector.broadcast(D, q[q0 + k]);
            a0 = x.fma(DoubleVector.fromArray(D, b, pb), a0);
            a1 = x.fma(DoubleVector.fromArray(D, b, pb + DL), a1);
            a2 = x.fma(DoubleVector.fromArray(D, b, pb + 2 * DL), a2);
            a3 = x.fma(DoubleVector.fromArray(D, b, pb + 3 * DL), a3);
        }
        store(a0, a1, a2, a3, s, s0);
    }

    /**
     * {@code o[i, c0 + l] += Σ_j p[i, j] · v[j, l]} for rows × one panel of up to NR channels ({@code v} at vOff is
     * [keys][NR], zero-padded), {@code o} row stride ldo, {@code p} row stride ldp.
     */
    public static void accumulatePv(float[] p, int ldp, int rows, int keys, double[] v, int vOff, double[] o, int oOff, int ldo, int cols) {
        for (int i = 0; i < rows; i++) {
            int po = i * ldp, oo = oOff + i * ldo, c = 0;
            for (; c + SLICE <= cols; c += SLICE) {
                int ob = oo + c;
                DoubleVector a0 = DoubleVector.fromArray(D, o, ob), a1 = DoubleVector.fromArray(D, o, ob + DL),
                        a2 = DoubleVector.fromArray(D, o, ob + 2 * DL), a3 = DoubleVector.fromArray(D, o, ob + 3 * DL);
                for (int j = 0; j < keys; j++) {
                    DoubleVector x = DoubleVector.broadcast(D, p[po + j]);
                    int vb = vOff + j * NR + c;
                    a0 = x.fma(DoubleVector.fromArray(D, v, vb), a0);
                    a1 = x.fma(DoubleVector.fromArray(D, v, vb + DL), a1);
                    a2 = x.fma(DoubleVector.fromArray(D, v, vb + 2 * DL), a2);
                    a3 = x.fma(DoubleVector.fromArray(D, v, vb + 3 * DL), a3);
                }
                a0.intoArray(o, ob);
                a1.intoArray(o, ob + DL);
                a2.intoArray(o, ob + 2 * DL);
                a3.intoArray(o, ob + 3 * DL);
            }
            for (; c < cols; c++) {
                double acc = o[oo + c];
                for (int j = 0; j < keys; j++) acc = Math.fma(p[po + j], v[vOff + j * NR + c], acc);
                o[oo + c] = acc;
            }
        }
    }

    private static void store(DoubleVector v0, DoubleVector v1, DoubleVector v2, DoubleVector v3, float[] s, int o) {
        double[] t = new double[4 * DL];
        v0.intoArray(t, 0);
        v1.intoArray(t, DL);
        v2.intoArray(t, 2 * DL);
        v3.intoArray(t, 3 * DL);
        for (int l = 0; l < t.length; l++) s[o + l] = (float) t[l];
    }
}
