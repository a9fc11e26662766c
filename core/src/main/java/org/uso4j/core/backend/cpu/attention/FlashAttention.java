package org.uso4j.core.backend.cpu.attention;

import static org.uso4j.core.backend.cpu.gemm.GemmKernel.NR;

import java.util.Arrays;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.core.backend.cpu.Workers;
import org.uso4j.core.backend.cpu.gemm.GemmKernel;
import org.uso4j.core.backend.cpu.simd.VectorMath;

/**
 * Tiled attention with an online softmax (FlashAttention's recurrence): {@code softmax(q kᵀ·scale + bias) v}.
 * Work items are (batch·head, block of {@link #BQ} queries); an item walks the keys in blocks of {@link #BK},
 * computes the score tile {@code S = Q Kᵀ} and {@code O += P V} with {@link GemmKernel}, and rescales its running
 * row maxima, sums and outputs. Memory per worker is one BQ×BK tile plus a BQ×Dv output: never an L×L matrix.
 *
 * <p>This is the double-precision path, for unbounded logits; bounded ones take {@link FloatAttention}.
 *
 * <p>K and V are first copied into key blocks of packed {@link GemmKernel} panels (K transposed, zero-padded), so
 * both products are plain broadcast GEMMs; this copy is O(L·D). Row sums stay as lane vectors until the end. Every row's arithmetic depends only on the key
 * block size, never on BQ, the item or the thread. Scalar twin: {@link ScalarBackend#attention}.
 */
public final class FlashAttention {
    private FlashAttention() {}

    public static final int BK = 2 * NR;
    public static final int BQ = 8 * GemmKernel.MR;
    /**
     * Largest Cauchy-Schwarz bound on |q·k·scale| for which {@link FloatAttention} runs: a float dot product's error
     * is about sqrt(D)·2^-24·|logit|, under 1e-5 here; beyond it (T5) the double-accumulating kernels below.
     */
    public static final double FLOAT_LOGITS = 64;

    /** Largest Euclidean norm of the rows of length d (in double: a bound, not a result). */
    public static double maxNorm(float[] x, int d) {
        double max = 0;
        for (int o = 0; o + d <= x.length; o += d) {
            double s = 0;
            for (int c = 0; c < d; c++) s += (double) x[o + c] * x[o + c];
            max = Math.max(max, s);
        }
        return Math.sqrt(max);
    }

    /**
     * @param q [B, H, Lq, D], k [B, H, Lk, D], v [B, H, Lk, Dv]; bias null or [1|B, H, Lq, Lk] ({@code biasBatch}
     *          when its first dimension is B); returns [B, H, Lq, Dv]
     */
    public static float[] run(Workers workers, int b, int h, int lq, int lk, int d, int dv, float[] q, float[] k, float[] v,
                       float scale, float[] bias, boolean biasBatch, boolean causal) {
        if (maxNorm(q, d) * maxNorm(k, d) * Math.abs((double) scale) <= FLOAT_LOGITS) {
            return FloatAttention.run(workers, b, h, lq, lk, d, dv, q, k, v, scale, bias, biasBatch, causal);
        }
        return doubles(workers, b, h, lq, lk, d, dv, q, k, v, scale, bias, biasBatch, causal);
    }

    /** The double-accumulating path, whatever the logits. */
    public static float[] doubles(Workers workers, int b, int h, int lq, int lk, int d, int dv, float[] q, float[] k, float[] v,
                           float scale, float[] bias, boolean biasBatch, boolean causal) {
        float[] out = new float[b * h * lq * dv];
        if (lq == 0 || dv == 0) return out;
        int bh = b * h, kBlocks = (lk + BK - 1) / BK, kSize = d * BK, vPanels = (dv + NR - 1) / NR, vSize = vPanels * BK * NR;
        // Key blocks as packed panels: kt[z, kb][j / NR][c][j % NR] = k[z, kb·BK + j, c]; v likewise, [c / NR][j][c % NR].
        double[] kt = new double[bh * kBlocks * kSize];
        double[] vp = new double[bh * kBlocks * vSize];
        long work = (long) bh * lq * lk * (d + dv);
        workers.forEach(bh * kBlocks, work > 100_000, (worker, item) -> {
            int z = item / kBlocks, kb = item % kBlocks, j1 = Math.min(BK, lk - kb * BK);
            for (int j = 0; j < j1; j++) {
                int kSrc = (z * lk + kb * BK + j) * d, kDst = item * kSize + (j / NR) * d * NR + j % NR;
                for (int c = 0; c < d; c++) kt[kDst + c * NR] = k[kSrc + c];
                int vSrc = (z * lk + kb * BK + j) * dv, vDst = item * vSize + j * NR;
                for (int c = 0; c < dv; c++) vp[vDst + (c / NR) * BK * NR + c % NR] = v[vSrc + c];
            }
        });
        int qBlocks = (lq + BQ - 1) / BQ;
        Scratch[] scratch = new Scratch[workers.threads()];
        workers.forEach(bh * qBlocks, work > 100_000, (worker, item) -> {
            if (scratch[worker] == null) scratch[worker] = new Scratch(dv);
            int z = item / qBlocks, q0 = (item % qBlocks) * BQ, q1 = Math.min(lq, q0 + BQ);
            int biasBase = bias == null ? 0 : (biasBatch ? z : z % h) * lq * lk; // z = n·H + hh
            block(scratch[worker], z, q0, q1, lq, lk, d, dv, q, kt, vp, kBlocks, scale, bias, biasBase, causal, out);
        });
        return out;
    }

    /** Per-worker tiles. */
    private static final class Scratch {
        final float[] s = new float[BQ * BK];   // scores, then probabilities
        final double[] o;                        // [BQ, Dv] running outputs
        final double[] l = new double[BQ];       // running row sums
        final float[] lanes = new float[VectorMath.FL];   // one row block's exponentials, summed per lane
        final float[] m = new float[BQ];         // running row maxima

        Scratch(int dv) { o = new double[BQ * dv]; }
    }

    private static void block(Scratch t, int z, int q0, int q1, int lq, int lk, int d, int dv, float[] q, double[] kt,
                              double[] vp, int kBlocks, float scale, float[] bias, int biasBase, boolean causal, float[] out) {
        int nq = q1 - q0;
        float[] s = t.s, m = t.m;
        double[] o = t.o, l = t.l;
        Arrays.fill(o, 0, nq * dv, 0.0);
        Arrays.fill(l, 0, nq, 0.0);
        Arrays.fill(m, 0, nq, Float.NEGATIVE_INFINITY);
        int kEnd = causal ? Math.min(lk, q1) : lk;
        int qOff = (z * lq + q0) * d;
        for (int kb0 = 0; kb0 < kEnd; kb0 += BK) {
            // S = Q · K_blockᵀ  [nq, BK], double accumulation (see ScoreKernel)
            int blk = z * kBlocks + kb0 / BK, ktOff = blk * d * BK;
            for (int p = 0; p < BK; p += NR) ScoreKernel.tile(q, qOff, d, nq, kt, ktOff + p * d, d, s, p, BK);
            int valid = Math.min(BK, kEnd - kb0);
            for (int i = 0; i < nq; i++) {
                int qi = q0 + i;
                int jn = Math.min(BK, lk - kb0);
                if (causal) jn = Math.min(jn, qi + 1 - kb0);
                int so = i * BK;
                double corr = OnlineSoftmax.update(s, so, BK, jn, scale, bias, biasBase + qi * lk + kb0, m, l, i, t.lanes);
                if (Double.isNaN(corr)) continue;
                if (corr != 1f) scaleRow(o, i * dv, dv, corr);
            }
            // O += P · V_block  [nq, Dv]
            int vOff = blk * ((dv + NR - 1) / NR) * BK * NR;
            for (int c = 0; c < dv; c += NR) {
                ScoreKernel.accumulatePv(s, BK, nq, valid, vp, vOff + c * BK, o, c, dv, Math.min(NR, dv - c));
            }
        }
        int oo = (z * lq + q0) * dv;
        for (int i = 0; i < nq; i++) {
            for (int c = 0; c < dv; c++) out[oo + i * dv + c] = (float) (o[i * dv + c] / l[i]);
        }
    }

    private static void scaleRow(double[] o, int off, int n, double f) {
        for (int c = 0; c < n; c++) o[off + c] *= f;
    }
}
