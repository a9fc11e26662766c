package org.uso4j.core.backend.cpu.amx;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.IntVector;
import org.uso4j.core.DType;
import org.uso4j.core.FloatFormats;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.cpu.Pointwise;
import org.uso4j.core.backend.cpu.Workers;
import org.uso4j.core.backend.cpu.gemm.Gemm;
import org.uso4j.core.backend.cpu.simd.VectorDequantize;
import org.uso4j.core.backend.cpu.simd.VectorMath;

/**
 * {@code y = x · Wᵀ + bias} in bf16 on AMX tiles ({@link AmxKernel}): x float32 {@code [rows, K]}, W {@code [N, K]}
 * of any stored dtype, y float32. x is rounded to bf16 once per call ({@code [rows↑32, K↑32]}, zero padded); each
 * work item packs its block of {@link #NCB} weight columns into VNNI tiles (bf16 weights as stored: an int is
 * already the pair k = 2p, 2p+1; other dtypes decoded and rounded to bf16), then sweeps its rows in blocks of
 * {@link #MCB} rows × {@link #KC} k, every 32-column panel against the row block (A block in L2, panel in L1/L2).
 * The first k chunk starts each C block from the bias row (or zeros), later chunks from y itself; 32×32 blocks
 * that overhang y go through a scratch tile. Results are float32 sums of exact bf16 products (not bitwise those of {@link Gemm}).
 */
public final class AmxGemm {
    private AmxGemm() {}

    /** Weight columns per work item (eight 32-column panels). */
    public static final int NCB = 256;
    /** Rows per L2 block of A. */
    public static final int MCB = 256;
    /** k per kernel call (a multiple of 256, so GGML super-blocks are never split when decoding). */
    public static final int KC = 1024;

    /** Per-worker buffers (kept per thread, grown on demand): packed weight block, one decoded row, edge tile, parameters. */
    private static final class Scratch {
        final int kp;
        final MemorySegment b;
        final float[] row;
        final float[] tile = new float[32 * 32];
        final long[] params = new long[AmxKernel.PARAM_LONGS];

        /** Gather indices: lane j reads row j of a tile's {@link #rowPairs}. */
        final int[] gather = new int[16];
        private int[] rowPairs = new int[0];
        private int gatherStride = -1;

        Scratch(int kp) {
            this.kp = kp;
            b = Arena.ofAuto().allocate((long) NCB * kp * 2, 64);
            row = new float[kp];
            AmxKernel.configure(params);
        }

        /** 16 rows of {@code pairs} pair ints each, and {@link #gather} set for that row length. */
        int[] rowPairs(int pairs) {
            if (rowPairs.length < 16 * pairs) rowPairs = new int[16 * pairs];
            if (gatherStride != pairs) {
                for (int j = 0; j < 16; j++) gather[j] = j * pairs;
                gatherStride = pairs;
            }
            return rowPairs;
        }
    }

    /** C-in for blocks without bias: one row of zeros, repeated. */
    public static final MemorySegment ZEROS = MemorySegment.ofArray(new float[32]);

    private static final ThreadLocal<Scratch> SCRATCH = new ThreadLocal<>();

    private static Scratch scratch(int kp) {
        Scratch s = SCRATCH.get();
        if (s == null || s.kp < kp) SCRATCH.set(s = new Scratch(kp));
        return s;
    }

    /** One product of a sum: input {@code x [rows, k]} (float32) times weight {@code w [n, k]ᵀ} (any dtype). */
    public record Operand(float[] x, int k, Tensor w) {}

    public static void run(Workers workers, float[] x, int rows, int k, Tensor w, float[] bias, float[] y) {
        run(workers, new Operand[]{new Operand(x, k, w)}, rows, w.dim(0), bias, y, null);
    }

    /**
     * {@code y = Σ_i x_i · W_iᵀ + bias}: the operands are laid end to end along k (each padded to 32), so the sum
     * is one GEMM — one output pass, one accumulation — e.g. a layer and its LoRA up-projection. {@code act} (or
     * null) is applied to each block of y right after its last k chunk, while it is still in cache.
     */
    public static void run(Workers workers, Operand[] ops, int rows, int n, float[] bias, float[] y, Activation act) {
        int[] kOff = new int[ops.length + 1];
        for (int i = 0; i < ops.length; i++) kOff[i + 1] = kOff[i] + Gemm.roundUp(ops[i].k(), 32);
        int kp = kOff[ops.length], mp = Gemm.roundUp(rows, 32);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = arena.allocate((long) mp * kp * 2, 64);
            int rowItems = Workers.chunks((long) rows * kp, 1 << 16), rowsPer = (rows + rowItems - 1) / rowItems;
            workers.forEach((rows + rowsPer - 1) / rowsPer, (worker, item) -> {
                for (int r = item * rowsPer; r < Math.min(rows, (item + 1) * rowsPer); r++) {
                    for (int i = 0; i < ops.length; i++) toBf16(ops[i].x(), r * ops[i].k(), ops[i].k(), r, kp, kOff[i], a);
                }
            });
            int colBlocks = (n + NCB - 1) / NCB;
            int rowBlocks = mp / MCB + (mp % MCB == 0 ? 0 : 1);
            int rowChunks = Math.max(1, Math.min(rowBlocks, (3 * workers.threads() + colBlocks - 1) / colBlocks));
            if (workers.threads() == 1) rowChunks = 1;
            int chunkRows = Gemm.roundUp((mp + rowChunks - 1) / rowChunks, 32);
            int rc = (mp + chunkRows - 1) / chunkRows;
            workers.forEach(rc * colBlocks, (worker, item) -> {
                Scratch s = scratch(kp);
                int r0 = (item / colBlocks) * chunkRows, r1 = Math.min(mp, r0 + chunkRows);
                int c0 = (item % colBlocks) * NCB, c1 = Math.min(n, c0 + NCB);
                for (int i = 0; i < ops.length; i++) packB(ops[i].w(), ops[i].k(), kp, kOff[i], kOff[i + 1], c0, c1, s, s.b);
                block(a, kp, rows, r0, r1, s, c0, c1, y, n, bias, act);
            });
        }
    }

    /**
     * Row r of x ({@code x[off, off + k)}) as bf16 (round to nearest even) into the tiled A from k = {@code kOff}
     * (a multiple of 32): row r sits in group r/16, whose k-step s (32 k) is the 16×32 tile at byte
     * {@code (group·kp/32 + s)·1024}. Padding stays zero (a fresh allocation).
     */
    public static void toBf16(float[] x, int off, int k, int r, int kp, int kOff, MemorySegment a) {
        long at = (long) (r >> 4) * kp * 32 + (r & 15) * 64 + (kOff / 32) * 1024L;
        int k0 = 0;
        for (; k0 + 32 <= k; k0 += 32, at += 1024) {
            VectorMath.toBf16(x, off + k0, 32, a, at);
        }
        for (int i = 0; k0 + i < k; i++) a.set(ValueLayout.JAVA_SHORT_UNALIGNED, at + 2L * i, FloatFormats.floatToBf16(x[off + k0 + i]));
    }

    /**
     * Weight rows [c0, c1) as VNNI tiles, k from {@code kFrom} to {@code kTo} of the padded total {@code kp}: tile t
     * (16 columns) is {@code int[kp/2][16]} at byte {@code t·kp·32}; columns past c1 and k past this weight's
     * {@code k} are zero. Per tile, the 16 rows are first laid out as bf16 pair ints side by side
     * ({@code pairs[j·P + p]}: bf16 weights copied as stored, others decoded and rounded), then each pair row p of
     * the tile is one 16-lane gather.
     */
    private static void packB(Tensor w, int k, int kp, int kFrom, int kTo, int c0, int c1, Scratch s, MemorySegment b) {
        int pairs = (kTo - kFrom) / 2, cols = Gemm.roundUp(c1 - c0, 32);
        int[] rowPairs = s.rowPairs(pairs);
        for (int t = 0; t < cols / 16; t++) {
            for (int j = 0; j < 16; j++) {
                int col = c0 + 16 * t + j;
                if (col < c1) rowAsPairs(w, (long) col * k, k, s.row, rowPairs, j * pairs);
                Arrays.fill(rowPairs, j * pairs + (col < c1 ? (k + 1) / 2 : 0), (j + 1) * pairs, 0);
            }
            long base = 4L * ((long) t * (kp / 2) * 16 + (kFrom / 2) * 16);
            if (VectorMath.I.length() == 16) {
                for (int p = 0; p < pairs; p++) {
                    IntVector.fromArray(VectorMath.I, rowPairs, p, s.gather, 0).intoMemorySegment(b, base + 64L * p, ByteOrder.LITTLE_ENDIAN);
                }
            } else {
                for (int p = 0; p < pairs; p++) {
                    for (int j = 0; j < 16; j++) b.set(ValueLayout.JAVA_INT_UNALIGNED, base + 64L * p + 4L * j, rowPairs[j * pairs + p]);
                }
            }
        }
    }

    /**
     * Rows [c0, c1) of {@code w [N, k]} (k a multiple of 32) as VNNI B tiles into {@code dst}: tile t (16 rows) is
     * {@code int[k/2][16]} at byte {@code t·k·32}, rows up to the next multiple of 32 zero. Attention packs its keys
     * with this: K is the "weight" of {@code S = Q·Kᵀ}.
     */
    public static void packRows(Tensor w, int k, int c0, int c1, MemorySegment dst) {
        packB(w, k, k, 0, k, c0, c1, scratch(k), dst);
    }

    /** bf16 of {@code lo} in the low half, of {@code hi} in the high half: a VNNI pair. */
    public static int bf16Pair(float lo, float hi) {
        return (FloatFormats.floatToBf16(lo) & 0xFFFF) | (FloatFormats.floatToBf16(hi) << 16);
    }

    /** Weight row elements [first, first + k) as bf16 pairs (int p = elements 2p, 2p+1, low half first) at {@code dst[off ..]}. */
    private static void rowAsPairs(Tensor w, long first, int k, float[] f, int[] dst, int off) {
        if (w.dtype() == DType.BF16 && k % 2 == 0) {
            MemorySegment.copy(w.segment(), ValueLayout.JAVA_INT_UNALIGNED, 2 * first, dst, off, k / 2);
            return;
        }
        if (w.isDenseF32()) System.arraycopy(w.floats(), Math.toIntExact(first), f, 0, k);
        else VectorDequantize.decode(w.dtype(), w.segment(), first, f, 0, k);
        if (k % 2 == 1) f[k] = 0f;
        for (int p = 0; p < (k + 1) / 2; p++) dst[off + p] = bf16Pair(f[2 * p], f[2 * p + 1]);
    }

    /** Rows [r0, r1) (padded A rows, multiples of 32) × columns [c0, c1) of y. */
    private static void block(MemorySegment a, int kp, int rows, int r0, int r1, Scratch s, int c0, int c1, float[] y, int n,
                              float[] bias, Activation act) {
        long[] params = s.params;
        int pairs = kp / 2;
        params[0] = 32L * kp;         // bytes between groups of 16 rows of A
        params[4] = 4L * pairs * 16;  // bytes between a panel's two B tiles
        int panels = (c1 - c0 + 31) / 32;
        for (int k0 = 0; k0 < kp; k0 += KC) {
            int ks = Math.min(KC, kp - k0) / 32;
            params[3] = ks;
            for (int m0 = r0; m0 < r1; m0 += MCB) {
                int m1 = Math.min(r1, m0 + MCB);
                int full = Math.max(0, (Math.min(m1, rows) - m0) / 32);   // 32-row blocks inside y
                for (int q = 0; q < panels; q++) {
                    int col = c0 + 32 * q;
                    long bOff = 4L * (2 * q * pairs * 16 + (k0 / 2) * 16);
                    boolean fullCols = col + 32 <= c1;
                    if (fullCols && full > 0) {
                        params[1] = 4L * n;
                        params[2] = full;
                        MemorySegment cIn;
                        if (k0 > 0) {
                            cIn = MemorySegment.ofArray(y).asSlice(4L * (m0 * n + col));
                            params[5] = 4L * n;
                        } else {
                            cIn = bias == null ? ZEROS : MemorySegment.ofArray(bias).asSlice(4L * col);
                            params[5] = 0;
                        }
                        AmxKernel.run(a.address() + (long) m0 * kp * 2 + k0 * 32L, s.b.address() + bOff, y, m0 * n + col, cIn, params);
                    }
                    for (int m = fullCols ? m0 + 32 * full : m0; m < Math.min(m1, rows); m += 32) {
                        edge(a, kp, k0, m, rows, s, bOff, col, Math.min(32, c1 - col), y, n, bias);
                    }
                }
                if (act != null && k0 + KC >= kp) {
                    for (int r = m0; r < Math.min(m1, rows); r++) Pointwise.activate(y, y, r * n + c0, r * n + c1, act);
                }
            }
        }
    }

    /** One 32×32 block overhanging y: through the scratch tile. */
    private static void edge(MemorySegment a, int kp, int k0, int m, int rows, Scratch s, long bOff, int col, int cols,
                             float[] y, int n, float[] bias) {
        float[] t = s.tile;
        int valid = Math.min(32, rows - m);
        Arrays.fill(t, 0f);
        for (int i = 0; i < valid; i++) {
            if (k0 > 0) System.arraycopy(y, (m + i) * n + col, t, i * 32, cols);
            else if (bias != null) System.arraycopy(bias, col, t, i * 32, cols);
        }
        long[] params = s.params;
        params[1] = 4L * 32;
        params[2] = 1;
        params[5] = 4L * 32;
        AmxKernel.run(a.address() + (long) m * kp * 2 + k0 * 32L, s.b.address() + bOff, t, 0, MemorySegment.ofArray(t), params);
        for (int i = 0; i < valid; i++) System.arraycopy(t, i * 32, y, (m + i) * n + col, cols);
    }
}
