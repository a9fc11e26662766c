package org.uso4j.core.backend.cpu.attention;

import static org.uso4j.core.backend.cpu.gemm.GemmKernel.MR;
import static org.uso4j.core.backend.cpu.gemm.GemmKernel.NR;

import org.uso4j.core.backend.cpu.gemm.Gemm;
import org.uso4j.core.backend.cpu.gemm.GemmKernel;

/**
 * Attention products on the packed float {@link GemmKernel} at the float FMA rate (twice the double rate), for
 * bounded logits: queries packed once per query block into {@value GemmKernel#MR}-row micro-panels, probabilities
 * repacked per key block; each block's {@code P·V} in float, their sum into O in double (soft attention over
 * hundreds of keys loses an order of magnitude in one float chain: T5 at 512 tokens).
 */
record FloatTiles(KeyBlocks kv) implements Tiles {
    @Override public int keyBlock() { return kv.bk(); }

    @Override public void begin(FlashAttention.Scratch t, float[] q, int qOff, int nq) {
        int d = kv.d();
        for (int g = 0; g < (nq + MR - 1) / MR; g++) Gemm.packA(q, qOff, nq, d, g * MR, t.qa, g * d * MR);
    }

    @Override public void scores(FlashAttention.Scratch t, float[] q, int qOff, int nq, int blk) {
        int d = kv.d(), bk = kv.bk(), ktOff = blk * kv.kSize();
        for (int g = 0; g < (nq + MR - 1) / MR; g++) {
            int rows = Math.min(MR, nq - g * MR);
            for (int p = 0; p < bk; p += NR) {
                GemmKernel.block(t.qa, g * d * MR, kv.kt(), ktOff + p * d, d, t.s, g * MR * bk + p, bk, rows, NR, false, t.tile);
            }
        }
    }

    @Override public void accumulate(FlashAttention.Scratch t, int nq, int keys, int blk) {
        int bk = kv.bk(), dv = kv.dv(), vPanels = (dv + NR - 1) / NR, vOff = blk * kv.vSize();
        float[] s = t.s, pa = t.pa, pv = t.pv;
        for (int g = 0; g < (nq + MR - 1) / MR; g++) {
            // P repacked as micro-panels [g][j][MR] (rows past nq are zero; keys past `keys` have probability 0)
            int rows = Math.min(MR, nq - g * MR), base = g * bk * MR;
            for (int i = 0; i < MR; i++) {
                if (i < rows) {
                    int so = (g * MR + i) * bk;
                    for (int j = 0; j < bk; j++) pa[base + j * MR + i] = s[so + j];
                } else {
                    for (int j = 0; j < bk; j++) pa[base + j * MR + i] = 0f;
                }
            }
            for (int cp = 0; cp < vPanels; cp++) {
                GemmKernel.block(pa, base, kv.vp(), vOff + cp * bk * NR, bk, pv, g * MR * dv + cp * NR, dv,
                        rows, Math.min(NR, dv - cp * NR), false, t.tile);
            }
        }
        double[] o = t.o;
        for (int i = 0; i < nq * dv; i++) o[i] += pv[i]; // blocks of BK keys in float, their sum in double
    }
}
