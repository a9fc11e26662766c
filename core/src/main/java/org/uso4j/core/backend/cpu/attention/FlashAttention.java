package org.uso4j.core.backend.cpu.attention;

import static org.uso4j.core.backend.cpu.gemm.GemmKernel.MR;
import static org.uso4j.core.backend.cpu.gemm.GemmKernel.NR;

import java.util.Arrays;
import org.uso4j.core.backend.cpu.Workers;
import org.uso4j.core.backend.cpu.simd.VectorMath;

/**
 * Tiled attention with an online softmax (FlashAttention's recurrence): {@code softmax(q kᵀ·scale + bias) v}.
 * Work items are (batch·head, block of {@link #BQ} queries); an item walks the keys in blocks, computes the score
 * tile {@code S = Q Kᵀ}, updates its running row maxima and sums ({@link OnlineSoftmax}), rescales its running
 * outputs and adds {@code P V}. Memory per worker is one score tile plus a BQ×Dv output: never an L×L matrix.
 *
 * <p>The two products run on one of two {@link Tiles}: {@link FloatTiles} (the packed float GEMM micro-kernel, for
 * bounded logits: FLUX after its RMSNorm) or {@link DoubleTiles} (double chains, for logits in the hundreds: T5's
 * unscaled attention). K and V are first copied, once, into key blocks of packed panels ({@link KeyBlocks}),
 * O(L·D). Each row's arithmetic depends only on the key block size, never on BQ, the item, the thread or the vector
 * width. Scalar twin: {@code ScalarBackend.attention}.
 */
public final class FlashAttention {
    private FlashAttention() {}

    /** Queries per work item. */
    public static final int BQ = 8 * MR;
    /**
     * Largest Cauchy-Schwarz bound on |q·k·scale| for which the float tiles run: a float dot product's error is about
     * sqrt(D)·2^-24·|logit|, under 1e-5 here; beyond it (T5) the double tiles.
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
     * q, k, v of {@code shape}; bias null or [1|B, H, Lq, Lk] ({@code biasBatch} when its first dimension is B);
     * returns [B, H, Lq, Dv].
     */
    public static float[] run(Workers workers, AttentionShape shape, float[] q, float[] k, float[] v, float scale, float[] bias,
                              boolean biasBatch, boolean causal) {
        boolean bounded = maxNorm(q, shape.d()) * maxNorm(k, shape.d()) * Math.abs((double) scale) <= FLOAT_LOGITS;
        return run(workers, bounded ? Tiles.Kind.FLOAT : Tiles.Kind.DOUBLE, shape, q, k, v, scale, bias, biasBatch, causal);
    }

    /** {@link #run} on the given tiles, whatever the logits. */
    public static float[] run(Workers workers, Tiles.Kind kind, AttentionShape shape, float[] q, float[] k, float[] v, float scale,
                              float[] bias, boolean biasBatch, boolean causal) {
        int h = shape.heads(), lq = shape.lq(), lk = shape.lk(), d = shape.d(), dv = shape.dv();
        float[] out = new float[shape.outFloats()];
        if (lq == 0 || dv == 0) return out;
        int bh = shape.bh(), bk = kind.keyBlock(), kBlocks = (lk + bk - 1) / bk;
        long work = (long) bh * lq * lk * (d + dv);
        KeyBlocks blocks = KeyBlocks.pack(workers, k, v, bh, lk, d, dv, bk, work > 100_000);
        Tiles tiles = kind == Tiles.Kind.FLOAT ? new FloatTiles(blocks) : new DoubleTiles(blocks);
        boolean floats = kind == Tiles.Kind.FLOAT;
        int qBlocks = (lq + BQ - 1) / BQ;
        Scratch[] scratch = new Scratch[workers.threads()];
        workers.forEach(bh * qBlocks, work > 100_000, (worker, item) -> {
            if (scratch[worker] == null) scratch[worker] = new Scratch(bk, d, dv, floats);
            int z = item / qBlocks, q0 = (item % qBlocks) * BQ, q1 = Math.min(lq, q0 + BQ);
            int biasBase = bias == null ? 0 : (biasBatch ? z : z % h) * lq * lk; // z = n·H + hh
            block(tiles, scratch[worker], z * kBlocks, q, (z * lq + q0) * d, q0, q1, lk, dv, scale, bias, biasBase, causal,
                    out, (z * lq + q0) * dv);
        });
        return out;
    }

    /** Per-worker tiles: the recurrence's state, plus the packing buffers of the float tiles. */
    static final class Scratch {
        final float[] s;                        // [BQ, BK] scores, then probabilities
        final double[] o;                        // [BQ, Dv] running outputs
        final double[] l = new double[BQ];       // running row sums
        final float[] m = new float[BQ];         // running row maxima
        final float[] lanes = new float[VectorMath.SUM_LANES]; // one row block's exponentials, partial sums
        final float[] qa;                        // [BQ / MR][D][MR] packed queries (float tiles)
        final float[] pa;                        // [BQ / MR][BK][MR] packed probabilities (float tiles)
        final float[] pv;                        // [BQ, Dv] one key block's P·V (float tiles)
        final float[] tile = new float[MR * NR];

        Scratch(int bk, int d, int dv, boolean floats) {
            s = new float[BQ * bk];
            o = new double[BQ * dv];
            qa = floats ? new float[BQ * d] : null;
            pa = floats ? new float[BQ * bk] : null;
            pv = floats ? new float[BQ * dv] : null;
        }
    }

    /** Queries [q0, q1) of one (batch, head) against its key blocks from {@code blk0}; rows of {@code out} from {@code oo}. */
    private static void block(Tiles tiles, Scratch t, int blk0, float[] q, int qOff, int q0, int q1, int lk, int dv,
                              float scale, float[] bias, int biasBase, boolean causal, float[] out, int oo) {
        int nq = q1 - q0, bk = tiles.keyBlock();
        float[] s = t.s, m = t.m;
        double[] o = t.o, l = t.l;
        Arrays.fill(o, 0, nq * dv, 0.0);
        Arrays.fill(l, 0, nq, 0.0);
        Arrays.fill(m, 0, nq, Float.NEGATIVE_INFINITY);
        tiles.begin(t, q, qOff, nq);
        int kEnd = causal ? Math.min(lk, q1) : lk;
        for (int kb0 = 0; kb0 < kEnd; kb0 += bk) {
            int blk = blk0 + kb0 / bk;
            tiles.scores(t, q, qOff, nq, blk); // S = Q · K_blockᵀ  [nq, BK]
            for (int i = 0; i < nq; i++) {
                int qi = q0 + i;
                int jn = Math.min(bk, lk - kb0);
                if (causal) jn = Math.min(jn, qi + 1 - kb0);
                double corr = OnlineSoftmax.update(s, i * bk, bk, jn, scale, bias, biasBase + qi * lk + kb0, m, l, i, t.lanes);
                if (Double.isNaN(corr)) continue;
                if (corr != 1) {
                    for (int c = 0; c < dv; c++) o[i * dv + c] *= corr;
                }
            }
            tiles.accumulate(t, nq, Math.min(bk, kEnd - kb0), blk); // O += P · V_block  [nq, Dv]
        }
        for (int i = 0; i < nq; i++) {
            for (int c = 0; c < dv; c++) out[oo + i * dv + c] = (float) (o[i * dv + c] / l[i]);
        }
    }
}
