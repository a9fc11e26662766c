package org.uso4j.core.backend.cpu.attention;

import static org.uso4j.core.backend.cpu.gemm.GemmKernel.NR;

import org.uso4j.core.backend.cpu.Workers;

/**
 * K and V of every (batch, head) cut into blocks of {@code bk} keys and packed as GEMM panels, zero-padded:
 * {@code kt[blk][j / NR][c][j % NR] = k[z, kb·bk + j, c]} (K transposed: the B operand of {@code Q·Kᵀ}) and
 * {@code vp[blk][c / NR][j][c % NR] = v[z, kb·bk + j, c]} (the B operand of {@code P·V}), blk = z·kBlocks + kb.
 *
 * @param kSize floats per key block of {@code kt} (d·bk); {@code vSize} likewise of {@code vp}
 */
record KeyBlocks(float[] kt, float[] vp, int bk, int d, int dv, int kSize, int vSize) {
    static KeyBlocks pack(Workers workers, float[] k, float[] v, int bh, int lk, int d, int dv, int bk, boolean parallel) {
        int kBlocks = (lk + bk - 1) / bk, vPanels = (dv + NR - 1) / NR;
        int kSize = d * bk, vSize = vPanels * bk * NR;
        float[] kt = new float[bh * kBlocks * kSize], vp = new float[bh * kBlocks * vSize];
        workers.forEach(bh * kBlocks, parallel, (worker, item) -> {
            int z = item / kBlocks, kb = item % kBlocks, j1 = Math.min(bk, lk - kb * bk);
            for (int j = 0; j < j1; j++) {
                int kSrc = (z * lk + kb * bk + j) * d, kDst = item * kSize + (j / NR) * d * NR + j % NR;
                for (int c = 0; c < d; c++) kt[kDst + c * NR] = k[kSrc + c];
                int vSrc = (z * lk + kb * bk + j) * dv, vDst = item * vSize + j * NR;
                for (int c = 0; c < dv; c++) vp[vDst + (c / NR) * bk * NR + c % NR] = v[vSrc + c];
            }
        });
        return new KeyBlocks(kt, vp, bk, d, dv, kSize, vSize);
    }
}
