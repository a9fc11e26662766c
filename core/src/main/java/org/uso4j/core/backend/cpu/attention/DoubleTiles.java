package org.uso4j.core.backend.cpu.attention;

import static org.uso4j.core.backend.cpu.gemm.GemmKernel.NR;

/**
 * Attention products with double accumulation ({@link ScoreKernel}), whatever the logits: the packed key blocks
 * widened to double once, each score one double chain rounded to float, {@code P·V} summed into O in double.
 */
final class DoubleTiles implements Tiles {
    private final KeyBlocks kv;
    private final double[] kt, vp;

    DoubleTiles(KeyBlocks kv) {
        this.kv = kv;
        this.kt = widen(kv.kt());
        this.vp = widen(kv.vp());
    }

    private static double[] widen(float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i];
        return y;
    }

    @Override public int keyBlock() { return kv.bk(); }

    @Override public void begin(FlashAttention.Scratch t, float[] q, int qOff, int nq) {}

    @Override public void scores(FlashAttention.Scratch t, float[] q, int qOff, int nq, int blk) {
        int d = kv.d(), bk = kv.bk(), ktOff = blk * kv.kSize();
        for (int p = 0; p < bk; p += NR) ScoreKernel.tile(q, qOff, d, nq, kt, ktOff + p * d, d, t.s, p, bk);
    }

    @Override public void accumulate(FlashAttention.Scratch t, int nq, int keys, int blk) {
        int bk = kv.bk(), dv = kv.dv(), vOff = blk * kv.vSize();
        for (int c = 0; c < dv; c += NR) {
            ScoreKernel.accumulatePv(t.s, bk, nq, keys, vp, vOff + c * bk, t.o, c, dv, Math.min(NR, dv - c));
        }
    }
}
