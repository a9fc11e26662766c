package org.uso4j.core.backend.cpu.gemm;

import static org.uso4j.core.backend.cpu.gemm.GemmKernel.MR;
import static org.uso4j.core.backend.cpu.gemm.GemmKernel.NR;

import java.util.Arrays;
import java.util.function.IntFunction;
import org.uso4j.core.backend.cpu.Workers;

/**
 * Packed, cache-tiled GEMM driver (the GotoBLAS/BLIS loop nest): {@code C[z] = A[z] · B[z] (+ bias)}, A dense
 * float32 {@code [rows, K]}, B given as {@link Panels}.
 *
 * <ol>
 * <li>A is packed once per call into {@value GemmKernel#MR}-row micro-panels {@code [group][k][MR]} (zero rows
 *     past the end), so the micro-kernel's broadcasts stream sequentially (row-strided A reads alias in L1 when K
 *     is a multiple of 1024).</li>
 * <li>Work items are (batch, block of {@link #NC} columns, chunk of rows): an item decodes its columns' weights
 *     for one K tile of {@link #KC} into packed panels (NC·KC floats, L2) once, then sweeps its rows in blocks
 *     of {@link #MC} (A block in L2), each panel (L1) against each micro-panel of the block. Weights are decoded
 *     once per row chunk, and rows are split only when there are too few column blocks to share.</li>
 * </ol>
 * Each output is one in-order fma chain over K (K tiles continue the chain through C): partitioning, tiling and
 * thread count never change its bits. Very tall A is packed in slabs of at most {@link #PACK_LIMIT} floats.
 */
public final class Gemm {
    private Gemm() {}

    /** K tile: a multiple of 256 so GGML super-blocks are never split. */
    public static final int KC = 256;
    /** Columns per work item (16 panels: 512 KiB of packed B). */
    public static final int NC = 16 * NR;
    /** Rows per L2 block of packed A (96 KiB at KC). */
    public static final int MC = 8 * MR;
    /** Largest packed copy of A held at once (floats). */
    public static final long PACK_LIMIT = 1L << 25;

    /**
     * @param panels B of batch z ({@code [K, n]} as panels); {@code aStride}/{@code cStride}: batch strides of a and c
     * @param bias   added to every row of C, or null
     */
    public static void run(Workers workers, int batch, float[] a, int aStride, int rows, int k, IntFunction<Panels> panels,
                    int n, float[] c, int cStride, float[] bias) {
        run(workers, batch, a, aStride, rows, k, panels, n, c, cStride, bias, PACK_LIMIT);
    }

    /** {@link #run} holding at most {@code packLimit} floats of packed A at once (tests use small limits). */
    public static void run(Workers workers, int batch, float[] a, int aStride, int rows, int k, IntFunction<Panels> panels,
                    int n, float[] c, int cStride, float[] bias, long packLimit) {
        if (rows == 0 || n == 0 || batch == 0) return;
        if (k == 0) {
            for (int z = 0; z < batch; z++) {
                for (int r = 0; r < rows; r++) {
                    int o = z * cStride + r * n;
                    if (bias == null) Arrays.fill(c, o, o + n, 0f); else System.arraycopy(bias, 0, c, o, n);
                }
            }
            return;
        }
        int groups = (rows + MR - 1) / MR;
        long perZ = (long) groups * MR * k;
        Scratch[] scratch = new Scratch[workers.threads()];
        if (batch * perZ <= packLimit) {
            float[] ap = new float[Math.toIntExact(batch * perZ)];
            pass(workers, scratch, ap, 0, batch, 0, groups, a, aStride, rows, k, panels, n, c, cStride, bias);
        } else if (perZ <= packLimit) {
            int zs = (int) (packLimit / perZ);
            float[] ap = new float[Math.toIntExact(zs * perZ)];
            for (int z0 = 0; z0 < batch; z0 += zs) {
                pass(workers, scratch, ap, z0, Math.min(batch, z0 + zs), 0, groups, a, aStride, rows, k, panels, n, c, cStride, bias);
            }
        } else {
            int gs = (int) Math.max(1, packLimit / ((long) MR * k));
            float[] ap = new float[Math.toIntExact((long) gs * MR * k)];
            for (int z = 0; z < batch; z++) {
                for (int g0 = 0; g0 < groups; g0 += gs) {
                    pass(workers, scratch, ap, z, z + 1, g0, Math.min(groups, g0 + gs), a, aStride, rows, k, panels, n, c, cStride, bias);
                }
            }
        }
    }

    /** Per-worker buffers: packed B block, decode scratch, edge tile. */
    private static final class Scratch {
        final float[] b = new float[NC * KC];
        final float[] decode = new float[Panels.scratchFloats()];
        final float[] tile = new float[MR * NR];
    }

    /** Batches [z0, z1) × row groups [g0, g1), A packed into {@code ap} (reused by every pass of a call). */
    private static void pass(Workers workers, Scratch[] scratch, float[] ap, int z0, int z1, int g0, int g1, float[] a,
                             int aStride, int rows, int k, IntFunction<Panels> panels, int n, float[] c, int cStride, float[] bias) {
        int nz = z1 - z0, ng = g1 - g0, panelFloats = MR * k;
        long work = (long) nz * ng * MR * k;
        int packItems = Workers.chunks(work, 1 << 16), gPer = (ng * nz + packItems - 1) / packItems;
        int totalGroups = nz * ng;
        workers.forEach((totalGroups + gPer - 1) / gPer, work > (1 << 16), (worker, item) -> {
            for (int t = item * gPer; t < Math.min(totalGroups, (item + 1) * gPer); t++) {
                int z = z0 + t / ng, g = g0 + t % ng;
                packA(a, z * aStride, rows, k, g * MR, ap, t * panelFloats);
            }
        });
        int colBlocks = (n + NC - 1) / NC;
        int perRowChunk = nz * colBlocks;
        int blocksOfRows = (ng + MC / MR - 1) / (MC / MR);
        int rowChunks = Math.max(1, Math.min(blocksOfRows, (3 * workers.threads() + perRowChunk - 1) / perRowChunk));
        if (workers.threads() == 1) rowChunks = 1;
        int chunkGroups = (ng + rowChunks - 1) / rowChunks;
        int rc = (ng + chunkGroups - 1) / chunkGroups;
        long flops = 2L * nz * ng * MR * n * k;
        workers.forEach(nz * rc * colBlocks, flops > 200_000, (worker, item) -> {
            if (scratch[worker] == null) scratch[worker] = new Scratch();
            int zi = item / (rc * colBlocks), rest = item % (rc * colBlocks);
            int ga = (rest / colBlocks) * chunkGroups, gb = Math.min(ng, ga + chunkGroups);
            int c0 = (rest % colBlocks) * NC, c1 = Math.min(n, c0 + NC);
            int z = z0 + zi;
            block(scratch[worker], ap, (zi * ng) * panelFloats, g0, ga, gb, rows, k, panels.apply(z), c0, c1,
                    c, z * cStride, n, bias);
        });
    }

    /** Rows [r0, r0 + MR) of A (zero past {@code rows}) as the micro-panel {@code ap[off + kk·MR + i]}. */
    public static void packA(float[] a, int aBase, int rows, int k, int r0, float[] ap, int off) {
        int valid = Math.min(MR, rows - r0);
        for (int k0 = 0; k0 < k; k0 += KC) {
            int k1 = Math.min(k, k0 + KC);
            for (int i = 0; i < valid; i++) {
                int src = aBase + (r0 + i) * k;
                for (int kk = k0; kk < k1; kk++) ap[off + kk * MR + i] = a[src + kk];
            }
        }
        if (valid < MR) {
            for (int kk = 0; kk < k; kk++) Arrays.fill(ap, off + kk * MR + valid, off + (kk + 1) * MR, 0f);
        }
    }

    /** Row groups [ga, gb) of the pass (packed at {@code apBase}, first group {@code g0} overall) × columns [c0, c1). */
    private static void block(Scratch t, float[] ap, int apBase, int g0, int ga, int gb, int rows, int k, Panels b,
                              int c0, int c1, float[] c, int cBase, int ldc, float[] bias) {
        int np = (c1 - c0 + NR - 1) / NR, panelFloats = MR * k;
        float[] bp = t.b;
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            for (int p = 0; p < np; p++) {
                int pc = c0 + p * NR;
                b.pack(pc, Math.min(NR, c1 - pc), k0, kc, bp, p * kc * NR, t.decode);
            }
            boolean acc = k0 > 0;
            for (int gm = ga; gm < gb; gm += MC / MR) {
                int ge = Math.min(gb, gm + MC / MR);
                for (int p = 0; p < np; p++) {
                    int pc = c0 + p * NR, cols = Math.min(NR, c1 - pc);
                    for (int g = gm; g < ge; g++) {
                        int r = (g0 + g) * MR;
                        GemmKernel.block(ap, apBase + g * panelFloats + k0 * MR, bp, p * kc * NR, kc,
                                c, cBase + r * ldc + pc, ldc, Math.min(MR, rows - r), cols, acc, t.tile);
                    }
                }
            }
        }
        if (bias != null) {
            for (int r = (g0 + ga) * MR; r < Math.min(rows, (g0 + gb) * MR); r++) {
                int o = cBase + r * ldc;
                for (int j = c0; j < c1; j++) c[o + j] += bias[j];
            }
        }
    }

    public static int roundUp(int v, int m) { return (v + m - 1) / m * m; }
}
