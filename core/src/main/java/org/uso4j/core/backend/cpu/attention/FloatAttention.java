package org.uso4j.core.backend.cpu.attention;

import static org.uso4j.core.backend.cpu.gemm.GemmKernel.MR;
import static org.uso4j.core.backend.cpu.gemm.GemmKernel.NR;

import java.util.Arrays;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.core.backend.cpu.Workers;
import org.uso4j.core.backend.cpu.gemm.Gemm;
import org.uso4j.core.backend.cpu.gemm.GemmKernel;
import org.uso4j.core.backend.cpu.simd.VectorMath;

/**
 * The float32 variant of {@link FlashAttention} (same tiling and online softmax) for attention whose logits are
 * bounded (FLUX, after RMSNorm): both products run on the packed {@link GemmKernel} at the float FMA rate (twice
 * the double rate). A float dot product loses about sqrt(D)·2^-24 of the logit's size, so with |logit| below
 * {@link FlashAttention#FLOAT_LOGITS} the error stays under PyTorch's own float32 attention error; larger logits
 * (T5's unscaled attention, logits in the hundreds) take the double path.
 *
 * <p>Per work item (batch·head, block of {@link FlashAttention#BQ} queries): the queries are packed once into
 * {@value GemmKernel#MR}-row micro-panels; per key block of {@link FlashAttention#BK}, {@code S = Q·Kᵀ} (K pre-packed
 * as panels [c][NR keys]), the softmax update, then {@code O += P·V} with P repacked as micro-panels and V as panels
 * [key][NR channels]: each block's product in float, the running O (and row sums) in double, since soft attention
 * over hundreds of keys loses an order of magnitude in one float chain (T5 at 512 tokens). Each row's arithmetic depends only on the key block size. Scalar twin:
 * {@link ScalarBackend#attention}.
 */
public final class FloatAttention {
    private FloatAttention() {}

    private static final int BQ = FlashAttention.BQ;
    /** Keys per block: long enough to amortise the per-block rescaling and the double accumulation of O. */
    public static final int BK = 4 * FlashAttention.BK;

    public static float[] run(Workers workers, int b, int h, int lq, int lk, int d, int dv, float[] q, float[] k, float[] v,
                       float scale, float[] bias, boolean biasBatch, boolean causal) {
        float[] out = new float[b * h * lq * dv];
        if (lq == 0 || dv == 0) return out;
        int bh = b * h, kBlocks = (lk + BK - 1) / BK, vPanels = (dv + NR - 1) / NR;
        int kSize = d * BK, vSize = vPanels * BK * NR;
        // kt[blk][j / NR][c][j % NR] = k[z, kb·BK + j, c];  vp[blk][c / NR][j][c % NR] = v[z, kb·BK + j, c]
        float[] kt = new float[bh * kBlocks * kSize], vp = new float[bh * kBlocks * vSize];
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
            if (scratch[worker] == null) scratch[worker] = new Scratch(d, dv);
            int z = item / qBlocks, q0 = (item % qBlocks) * BQ, q1 = Math.min(lq, q0 + BQ);
            int biasBase = bias == null ? 0 : (biasBatch ? z : z % h) * lq * lk; // z = n·H + hh
            block(scratch[worker], z, q0, q1, lq, lk, d, dv, q, kt, vp, kBlocks, scale, bias, biasBase, causal, out);
        });
        return out;
    }

    /** Per-worker tiles. */
    private static final class Scratch {
        final float[] qa;                          // [BQ / MR][d][MR] packed queries
        final float[] s = new float[BQ * BK];      // scores, then probabilities
        final float[] pa = new float[BQ * BK];     // [BQ / MR][BK][MR] packed probabilities
        final float[] pv;                          // [BQ, dv] one key block's P·V
        final double[] o;                          // [BQ, dv] running outputs
        final double[] l = new double[BQ];         // running row sums
        final float[] lanes = new float[VectorMath.FL];   // one row block's exponentials, summed per lane
        final float[] m = new float[BQ];           // running row maxima
        final float[] tile = new float[MR * NR];

        Scratch(int d, int dv) {
            qa = new float[BQ * d];
            pv = new float[BQ * dv];
            o = new double[BQ * dv];
        }
    }

    private static void block(Scratch t, int z, int q0, int q1, int lq, int lk, int d, int dv, float[] q, float[] kt,
                              float[] vp, int kBlocks, float scale, float[] bias, int biasBase, boolean causal, float[] out) {
        int nq = q1 - q0, groups = (nq + MR - 1) / MR, vPanels = (dv + NR - 1) / NR;
        float[] s = t.s, m = t.m, pv = t.pv, qa = t.qa, pa = t.pa;
        double[] l = t.l, o = t.o;
        Arrays.fill(o, 0, nq * dv, 0.0);
        Arrays.fill(l, 0, nq, 0.0);
        Arrays.fill(m, 0, nq, Float.NEGATIVE_INFINITY);
        for (int g = 0; g < groups; g++) Gemm.packA(q, (z * lq + q0) * d, nq, d, g * MR, qa, g * d * MR);
        int kEnd = causal ? Math.min(lk, q1) : lk;
        for (int kb0 = 0; kb0 < kEnd; kb0 += BK) {
            int blk = z * kBlocks + kb0 / BK, ktOff = blk * d * BK;
            // S = Q · K_blockᵀ  [nq, BK]
            for (int g = 0; g < groups; g++) {
                int rows = Math.min(MR, nq - g * MR);
                for (int p = 0; p < BK; p += NR) {
                    GemmKernel.block(qa, g * d * MR, kt, ktOff + p * d, d, s, g * MR * BK + p, BK, rows, NR, false, t.tile);
                }
            }
            for (int i = 0; i < nq; i++) {
                int qi = q0 + i;
                int jn = Math.min(BK, lk - kb0);
                if (causal) jn = Math.min(jn, qi + 1 - kb0);
                double corr = OnlineSoftmax.update(s, i * BK, BK, jn, scale, bias, biasBase + qi * lk + kb0, m, l, i, t.lanes);
                if (Double.isNaN(corr)) continue;
                if (corr != 1) {
                    for (int c = 0; c < dv; c++) o[i * dv + c] *= corr;
                }
            }
            // O += P · V_block  [nq, Dv]: P repacked as micro-panels [g][j][MR] (rows past nq are zero)
            for (int g = 0; g < groups; g++) {
                int rows = Math.min(MR, nq - g * MR), base = g * BK * MR;
                for (int i = 0; i < MR; i++) {
                    if (i < rows) {
                        int so = (g * MR + i) * BK;
                        for (int j = 0; j < BK; j++) pa[base + j * MR + i] = s[so + j];
                    } else {
                        for (int j = 0; j < BK; j++) pa[base + j * MR + i] = 0f;
                    }
                }
                int vOff = blk * vPanels * BK * NR;
                for (int cp = 0; cp < vPanels; cp++) {
                    GemmKernel.block(pa, base, vp, vOff + cp * BK * NR, BK, pv, g * MR * dv + cp * NR, dv,
                            rows, Math.min(NR, dv - cp * NR), false, t.tile);
                }
            }
            for (int i = 0; i < nq * dv; i++) o[i] += pv[i]; // blocks of BK keys in float, their sum in double
        }
        int oo = (z * lq + q0) * dv;
        for (int i = 0; i < nq; i++) {
            for (int c = 0; c < dv; c++) out[oo + i * dv + c] = (float) (o[i * dv + c] / l[i]);
        }
    }
}
