package org.uso4j.core.backend;

import static org.uso4j.core.backend.GemmKernel.MR;
import static org.uso4j.core.backend.GemmKernel.NR;

import java.util.function.IntFunction;

/**
 * Cache-tiled GEMM driver: {@code C[z] = A[z] · B[z] (+ bias)}, A dense float32 {@code [rows, K]}, B given as
 * {@link Panels}. Work items are (batch, row chunk, column block); inside an item, per K tile of {@link #KC}: pack
 * the column block's panels once (L2), then for each block of {@link #MC} rows (L2) and each panel (L1), run the
 * register-blocked {@link GemmKernel}. Each output is one in-order fma chain over K: partitioning, tiling and
 * thread count never change its bits.
 */
final class Gemm {
    private Gemm() {}

    /** K tile: a multiple of 256 so GGML super-blocks are never split. */
    static final int KC = 256;
    /** Columns per work item block (4 panels). */
    static final int NC = 4 * NR;
    /** Rows per L2 block of A. */
    static final int MC = 18 * MR;
    /** Rows a work item should at least cover, so that packing its panels is amortised. */
    private static final int MIN_ROWS_PER_ITEM = 4 * MC;

    /**
     * @param panels B of batch z ({@code [K, n]} as panels); {@code aStride}/{@code cStride}: batch strides of a and c
     * @param bias   added to every row of C, or null
     */
    static void run(Workers workers, int batch, float[] a, int aStride, int rows, int k, IntFunction<Panels> panels,
                    int n, float[] c, int cStride, float[] bias) {
        if (rows == 0 || n == 0) return;
        int colBlocks = (n + NC - 1) / NC;
        int perBatch = colBlocks * Math.max(1, batch);
        int wanted = Math.max(1, (4 * workers.threads() + perBatch - 1) / perBatch);
        int rowChunks = Math.max(1, Math.min(wanted, rows / MIN_ROWS_PER_ITEM));
        int chunkRows = roundUp((rows + rowChunks - 1) / rowChunks, MR);
        rowChunks = (rows + chunkRows - 1) / chunkRows;
        int items = batch * rowChunks * colBlocks;
        int rc = rowChunks;
        float[][] packBufs = new float[workers.threads()][];
        float[][] rowBufs = new float[workers.threads()][];
        long flops = 2L * batch * rows * n * Math.max(1, k);
        workers.forEach(items, flops > 200_000, (worker, item) -> {
            if (packBufs[worker] == null) {
                packBufs[worker] = new float[NC * KC];
                rowBufs[worker] = new float[Panels.scratchFloats(KC)];
            }
            int z = item / (rc * colBlocks), rest = item % (rc * colBlocks);
            int r0 = (rest / colBlocks) * chunkRows, r1 = Math.min(rows, r0 + chunkRows);
            int c0 = (rest % colBlocks) * NC, c1 = Math.min(n, c0 + NC);
            block(a, z * aStride, k, r0, r1, panels.apply(z), c0, c1, c, z * cStride, n, bias,
                    packBufs[worker], rowBufs[worker]);
        });
    }

    /** Rows [r0, r1) × columns [c0, c1) of one batch entry. */
    private static void block(float[] a, int aBase, int k, int r0, int r1, Panels b, int c0, int c1,
                              float[] c, int cBase, int ldc, float[] bias, float[] pack, float[] rowBuf) {
        int np = (c1 - c0 + NR - 1) / NR;
        if (k == 0) {
            for (int r = r0; r < r1; r++) java.util.Arrays.fill(c, cBase + r * ldc + c0, cBase + r * ldc + c1, 0f);
        }
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            for (int p = 0; p < np; p++) {
                int pc = c0 + p * NR;
                b.pack(pc, Math.min(NR, c1 - pc), k0, kc, pack, p * kc * NR, rowBuf);
            }
            boolean acc = k0 > 0;
            for (int m0 = r0; m0 < r1; m0 += MC) {
                int mr = Math.min(MC, r1 - m0);
                for (int p = 0; p < np; p++) {
                    int pc = c0 + p * NR;
                    GemmKernel.tile(a, aBase + m0 * k + k0, k, mr, pack, p * kc * NR, kc,
                            c, cBase + m0 * ldc + pc, ldc, Math.min(NR, c1 - pc), acc);
                }
            }
        }
        if (bias != null) {
            for (int r = r0; r < r1; r++) {
                int o = cBase + r * ldc;
                for (int j = c0; j < c1; j++) c[o + j] += bias[j];
            }
        }
    }

    static int roundUp(int v, int m) { return (v + m - 1) / m * m; }
}
