package org.uso4j.core.backend.cpu.gemm;

import static org.uso4j.core.backend.cpu.simd.VectorMath.F;
import static org.uso4j.core.backend.cpu.simd.VectorMath.FL;

import jdk.incubator.vector.FloatVector;
import org.uso4j.core.backend.cpu.Isa;

/**
 * The register-blocked GEMM micro-kernels: {@code C[i, j..j+NR) (+)= Σ_k A[i, k] · B[k, j..j+NR)} for {@value #MR}
 * rows × {@value #NR} columns, A a packed micro-panel {@code a[aOff + k·MR + i]} (broadcast) and B a packed panel
 * {@code b[bOff + k·NR + j]}. The packed layout is the same at every vector width; the register block that sweeps
 * it is chosen once for this machine ({@link #SHAPE}, a constant the JIT folds) so that accumulators, B vectors and
 * the broadcast fit the register file:
 * <ul>
 * <li>{@link Shape#ROWS12_V2}: 12 rows × 2 vectors, 24 accumulators + 2 B + 1 broadcast of 32 registers; at
 *     16 lanes (AVX-512) the whole 12×32 block in one pass;</li>
 * <li>{@link Shape#ROWS6_V4}: 6 rows × 4 vectors, 24 + 4 + 1 of 32 registers: NEON at 4 lanes (four passes of 6×16),
 *     whose cores have four FMA pipes to feed;</li>
 * <li>{@link Shape#ROWS6_V2}: 6 rows × 2 vectors, 12 + 2 + 1 of 32 registers: x86 with AVX-512 registers narrowed to
 *     256 or 128 bits;</li>
 * <li>{@link Shape#ROWS12_V1}: 12 rows × 1 vector, 12 + 1 + 1 of 16 registers: AVX2 (four passes of 12×8) and
 *     SSE;</li>
 * <li>{@link Shape#GENERIC}: one accumulator at a time, for anything else.</li>
 * </ul>
 * See {@link #choose} for the measurements behind the choice.
 * The loops are written out flat: a helper the JIT does not inline collapses throughput, and vectors never cross a
 * call. Every C element is one fused-multiply-add chain over k = 0, 1, ... in order, starting from 0 or from C: its
 * bits do not depend on the register block, the vector width, the edge path ({@link #block}), the blocking or the
 * thread. Scalar twin: the plain triple loop of {@code ScalarBackend.matmul} / {@code ScalarBackend.linear}.
 */
public final class GemmKernel {
    private GemmKernel() {}

    /** Rows per register block (the packed A micro-panel width). */
    public static final int MR = 12;
    /** Columns per packed panel (two 16-lane vectors, four 8-lane, eight 4-lane). */
    public static final int NR = 32;

    /** Register blocks, named rows × vectors per row. */
    public enum Shape { ROWS12_V2, ROWS6_V4, ROWS6_V2, ROWS12_V1, GENERIC }

    /** This machine's register block (see the class comment). */
    public static final Shape SHAPE = choose(FL, Isa.HOST.registers(), Isa.HOST.family());

    // the shape as int constants: a switch over an enum reads a lookup array the JIT does not fold
    private static final int KERNEL = SHAPE.ordinal();
    private static final int R12V2 = 0, R6V4 = 1, R6V2 = 2, R12V1 = 3;

    /**
     * The register block for {@code lanes} floats per vector and {@code registers} vector registers. Measured on
     * Sapphire Rapids (one thread, the kernel alone from L1/L2; 16 registers by {@code -XX:UseAVX=2/1}): with 16
     * registers 12×1 runs 10-15% faster than 4×2 (92-94 against 82-83 GFLOP/s at 256 bits, 49-51 against 44 at
     * 128: eight chains exactly fill two four-cycle FMA pipes, so any late load stalls them) and 4×2 18-22% faster
     * than 6×2 (whose 15 live vectors leave the JIT no spare register and spill); with 32 registers at 256/128 bits 6×2 beats 6×4 by 8-23% (two FMA pipes need no more than 12
     * chains). NEON cores (Apple, Graviton 3) have four FMA pipes, so they get the 24 chains of 6×4.
     */
    static Shape choose(int lanes, int registers, Isa.Family family) {
        if (registers >= 32 && fits(Shape.ROWS12_V2, lanes)) return Shape.ROWS12_V2;
        if (registers >= 32 && family == Isa.Family.NEON && fits(Shape.ROWS6_V4, lanes)) return Shape.ROWS6_V4;
        if (registers >= 32 && fits(Shape.ROWS6_V2, lanes)) return Shape.ROWS6_V2;
        if (fits(Shape.ROWS12_V1, lanes)) return Shape.ROWS12_V1;
        return Shape.GENERIC;
    }

    /**
     * Rows [0, rows) × columns [0, cols) of one register block ({@code rows <= MR}, {@code cols <= NR}): the full
     * kernel straight into C, or through the {@code tile} scratch ({@code MR·NR} floats) at the edges.
     */
    public static void block(float[] a, int aOff, float[] b, int bOff, int kc, float[] c, int cOff, int ldc,
                             int rows, int cols, boolean accumulate, float[] tile) {
        if (rows == MR && cols == NR) {
            full(a, aOff, b, bOff, kc, c, cOff, ldc, accumulate);
            return;
        }
        if (accumulate) {
            for (int i = 0; i < rows; i++) System.arraycopy(c, cOff + i * ldc, tile, i * NR, cols);
        }
        full(a, aOff, b, bOff, kc, tile, 0, NR, accumulate);
        for (int i = 0; i < rows; i++) System.arraycopy(tile, i * NR, c, cOff + i * ldc, cols);
    }

    /** {@value #MR} × {@value #NR} from packed A and B, by this machine's register block. */
    public static void full(float[] a, int a0, float[] b, int b0, int kc, float[] c, int c0, int ldc, boolean accumulate) {
        sweep(KERNEL, a, a0, b, b0, kc, c, c0, ldc, accumulate);
    }

    /** True where {@code shape} can sweep a panel of {@link #NR} columns at {@code lanes} floats per vector. */
    static boolean fits(Shape shape, int lanes) {
        return switch (shape) {
            case ROWS12_V2 -> 2 * lanes == NR;
            case ROWS6_V4 -> NR % (4 * lanes) == 0;
            case ROWS6_V2 -> NR % (2 * lanes) == 0;
            case ROWS12_V1 -> NR % lanes == 0;
            case GENERIC -> true;
        };
    }

    /** {@link #full} by a given register block that {@link #fits} this width (tests compare every such block). */
    static void full(Shape shape, float[] a, int a0, float[] b, int b0, int kc, float[] c, int c0, int ldc, boolean accumulate) {
        if (!fits(shape, FL)) throw new IllegalArgumentException(shape + " does not fit " + FL + "-lane vectors");
        sweep(shape.ordinal(), a, a0, b, b0, kc, c, c0, ldc, accumulate);
    }

    private static void sweep(int kernel, float[] a, int a0, float[] b, int b0, int kc, float[] c, int c0, int ldc, boolean accumulate) {
        if (kernel == R12V2) {
            rows12v2(a, a0, b, b0, kc, c, c0, ldc, accumulate);
        } else if (kernel == R6V4) {
            for (int j = 0; j < NR; j += 4 * FL) {
                for (int r = 0; r < MR; r += 6) rows6v4(a, a0 + r, b, b0 + j, kc, c, c0 + r * ldc + j, ldc, accumulate);
            }
        } else if (kernel == R6V2) {
            for (int j = 0; j < NR; j += 2 * FL) {
                for (int r = 0; r < MR; r += 6) rows6v2(a, a0 + r, b, b0 + j, kc, c, c0 + r * ldc + j, ldc, accumulate);
            }
        } else if (kernel == R12V1) {
            for (int j = 0; j < NR; j += FL) rows12v1(a, a0, b, b0 + j, kc, c, c0 + j, ldc, accumulate);
        } else {
            generic(a, a0, b, b0, kc, c, c0, ldc, accumulate);
        }
    }

    // Each kernel: rows i of the micro-panel from a0 (stride MR per k), vectors v of the panel from b0 (stride NR
    // per k), C rows ldc apart from c0. Narrow blocks sweep column slices outermost, so one slice of the B panel
    // (16 KiB of its 32 at KC = 256) stays in L1 for all the row passes (32 KiB L1 caches on AMD Zen).

    /** 12 rows × 2 vectors (24 accumulators). */
    private static void rows12v2(float[] a, int a0, float[] b, int b0, int kc, float[] c, int c0, int ldc, boolean accumulate) {
        FloatVector c0a, c0b, c1a, c1b, c2a, c2b, c3a, c3b, c4a, c4b, c5a, c5b, c6a, c6b, c7a, c7b, c8a, c8b, c9a, c9b, c10a, c10b, c11a, c11b;
        if (accumulate) {
            c0a = FloatVector.fromArray(F, c, c0 + 0 * ldc); c0b = FloatVector.fromArray(F, c, c0 + 0 * ldc + 1 * FL);
            c1a = FloatVector.fromArray(F, c, c0 + 1 * ldc); c1b = FloatVector.fromArray(F, c, c0 + 1 * ldc + 1 * FL);
            c2a = FloatVector.fromArray(F, c, c0 + 2 * ldc); c2b = FloatVector.fromArray(F, c, c0 + 2 * ldc + 1 * FL);
            c3a = FloatVector.fromArray(F, c, c0 + 3 * ldc); c3b = FloatVector.fromArray(F, c, c0 + 3 * ldc + 1 * FL);
            c4a = FloatVector.fromArray(F, c, c0 + 4 * ldc); c4b = FloatVector.fromArray(F, c, c0 + 4 * ldc + 1 * FL);
            c5a = FloatVector.fromArray(F, c, c0 + 5 * ldc); c5b = FloatVector.fromArray(F, c, c0 + 5 * ldc + 1 * FL);
            c6a = FloatVector.fromArray(F, c, c0 + 6 * ldc); c6b = FloatVector.fromArray(F, c, c0 + 6 * ldc + 1 * FL);
            c7a = FloatVector.fromArray(F, c, c0 + 7 * ldc); c7b = FloatVector.fromArray(F, c, c0 + 7 * ldc + 1 * FL);
            c8a = FloatVector.fromArray(F, c, c0 + 8 * ldc); c8b = FloatVector.fromArray(F, c, c0 + 8 * ldc + 1 * FL);
            c9a = FloatVector.fromArray(F, c, c0 + 9 * ldc); c9b = FloatVector.fromArray(F, c, c0 + 9 * ldc + 1 * FL);
            c10a = FloatVector.fromArray(F, c, c0 + 10 * ldc); c10b = FloatVector.fromArray(F, c, c0 + 10 * ldc + 1 * FL);
            c11a = FloatVector.fromArray(F, c, c0 + 11 * ldc); c11b = FloatVector.fromArray(F, c, c0 + 11 * ldc + 1 * FL);
        } else {
            c0a = c0b = c1a = c1b = c2a = c2b = c3a = c3b = c4a = c4b = c5a = c5b = c6a = c6b = c7a = c7b = c8a = c8b = c9a = c9b = c10a = c10b = c11a = c11b = FloatVector.zero(F);
        }
        for (int k = 0; k < kc; k++) {
            int pa = a0 + k * MR, pb = b0 + k * NR;
            FloatVector x = FloatVector.fromArray(F, b, pb), y = FloatVector.fromArray(F, b, pb + 1 * FL);
            FloatVector s;
            s = FloatVector.broadcast(F, a[pa + 0]); c0a = s.fma(x, c0a); c0b = s.fma(y, c0b);
            s = FloatVector.broadcast(F, a[pa + 1]); c1a = s.fma(x, c1a); c1b = s.fma(y, c1b);
            s = FloatVector.broadcast(F, a[pa + 2]); c2a = s.fma(x, c2a); c2b = s.fma(y, c2b);
            s = FloatVector.broadcast(F, a[pa + 3]); c3a = s.fma(x, c3a); c3b = s.fma(y, c3b);
            s = FloatVector.broadcast(F, a[pa + 4]); c4a = s.fma(x, c4a); c4b = s.fma(y, c4b);
            s = FloatVector.broadcast(F, a[pa + 5]); c5a = s.fma(x, c5a); c5b = s.fma(y, c5b);
            s = FloatVector.broadcast(F, a[pa + 6]); c6a = s.fma(x, c6a); c6b = s.fma(y, c6b);
            s = FloatVector.broadcast(F, a[pa + 7]); c7a = s.fma(x, c7a); c7b = s.fma(y, c7b);
            s = FloatVector.broadcast(F, a[pa + 8]); c8a = s.fma(x, c8a); c8b = s.fma(y, c8b);
            s = FloatVector.broadcast(F, a[pa + 9]); c9a = s.fma(x, c9a); c9b = s.fma(y, c9b);
            s = FloatVector.broadcast(F, a[pa + 10]); c10a = s.fma(x, c10a); c10b = s.fma(y, c10b);
            s = FloatVector.broadcast(F, a[pa + 11]); c11a = s.fma(x, c11a); c11b = s.fma(y, c11b);
        }
        c0a.intoArray(c, c0 + 0 * ldc); c0b.intoArray(c, c0 + 0 * ldc + 1 * FL);
        c1a.intoArray(c, c0 + 1 * ldc); c1b.intoArray(c, c0 + 1 * ldc + 1 * FL);
        c2a.intoArray(c, c0 + 2 * ldc); c2b.intoArray(c, c0 + 2 * ldc + 1 * FL);
        c3a.intoArray(c, c0 + 3 * ldc); c3b.intoArray(c, c0 + 3 * ldc + 1 * FL);
        c4a.intoArray(c, c0 + 4 * ldc); c4b.intoArray(c, c0 + 4 * ldc + 1 * FL);
        c5a.intoArray(c, c0 + 5 * ldc); c5b.intoArray(c, c0 + 5 * ldc + 1 * FL);
        c6a.intoArray(c, c0 + 6 * ldc); c6b.intoArray(c, c0 + 6 * ldc + 1 * FL);
        c7a.intoArray(c, c0 + 7 * ldc); c7b.intoArray(c, c0 + 7 * ldc + 1 * FL);
        c8a.intoArray(c, c0 + 8 * ldc); c8b.intoArray(c, c0 + 8 * ldc + 1 * FL);
        c9a.intoArray(c, c0 + 9 * ldc); c9b.intoArray(c, c0 + 9 * ldc + 1 * FL);
        c10a.intoArray(c, c0 + 10 * ldc); c10b.intoArray(c, c0 + 10 * ldc + 1 * FL);
        c11a.intoArray(c, c0 + 11 * ldc); c11b.intoArray(c, c0 + 11 * ldc + 1 * FL);
    }

    /** 6 rows × 4 vectors (24 accumulators). */
    private static void rows6v4(float[] a, int a0, float[] b, int b0, int kc, float[] c, int c0, int ldc, boolean accumulate) {
        FloatVector c0a, c0b, c0c, c0d, c1a, c1b, c1c, c1d, c2a, c2b, c2c, c2d, c3a, c3b, c3c, c3d, c4a, c4b, c4c, c4d, c5a, c5b, c5c, c5d;
        if (accumulate) {
            c0a = FloatVector.fromArray(F, c, c0 + 0 * ldc); c0b = FloatVector.fromArray(F, c, c0 + 0 * ldc + 1 * FL); c0c = FloatVector.fromArray(F, c, c0 + 0 * ldc + 2 * FL); c0d = FloatVector.fromArray(F, c, c0 + 0 * ldc + 3 * FL);
            c1a = FloatVector.fromArray(F, c, c0 + 1 * ldc); c1b = FloatVector.fromArray(F, c, c0 + 1 * ldc + 1 * FL); c1c = FloatVector.fromArray(F, c, c0 + 1 * ldc + 2 * FL); c1d = FloatVector.fromArray(F, c, c0 + 1 * ldc + 3 * FL);
            c2a = FloatVector.fromArray(F, c, c0 + 2 * ldc); c2b = FloatVector.fromArray(F, c, c0 + 2 * ldc + 1 * FL); c2c = FloatVector.fromArray(F, c, c0 + 2 * ldc + 2 * FL); c2d = FloatVector.fromArray(F, c, c0 + 2 * ldc + 3 * FL);
            c3a = FloatVector.fromArray(F, c, c0 + 3 * ldc); c3b = FloatVector.fromArray(F, c, c0 + 3 * ldc + 1 * FL); c3c = FloatVector.fromArray(F, c, c0 + 3 * ldc + 2 * FL); c3d = FloatVector.fromArray(F, c, c0 + 3 * ldc + 3 * FL);
            c4a = FloatVector.fromArray(F, c, c0 + 4 * ldc); c4b = FloatVector.fromArray(F, c, c0 + 4 * ldc + 1 * FL); c4c = FloatVector.fromArray(F, c, c0 + 4 * ldc + 2 * FL); c4d = FloatVector.fromArray(F, c, c0 + 4 * ldc + 3 * FL);
            c5a = FloatVector.fromArray(F, c, c0 + 5 * ldc); c5b = FloatVector.fromArray(F, c, c0 + 5 * ldc + 1 * FL); c5c = FloatVector.fromArray(F, c, c0 + 5 * ldc + 2 * FL); c5d = FloatVector.fromArray(F, c, c0 + 5 * ldc + 3 * FL);
        } else {
            c0a = c0b = c0c = c0d = c1a = c1b = c1c = c1d = c2a = c2b = c2c = c2d = c3a = c3b = c3c = c3d = c4a = c4b = c4c = c4d = c5a = c5b = c5c = c5d = FloatVector.zero(F);
        }
        for (int k = 0; k < kc; k++) {
            int pa = a0 + k * MR, pb = b0 + k * NR;
            FloatVector x = FloatVector.fromArray(F, b, pb), y = FloatVector.fromArray(F, b, pb + 1 * FL), z = FloatVector.fromArray(F, b, pb + 2 * FL), w = FloatVector.fromArray(F, b, pb + 3 * FL);
            FloatVector s;
            s = FloatVector.broadcast(F, a[pa + 0]); c0a = s.fma(x, c0a); c0b = s.fma(y, c0b); c0c = s.fma(z, c0c); c0d = s.fma(w, c0d);
            s = FloatVector.broadcast(F, a[pa + 1]); c1a = s.fma(x, c1a); c1b = s.fma(y, c1b); c1c = s.fma(z, c1c); c1d = s.fma(w, c1d);
            s = FloatVector.broadcast(F, a[pa + 2]); c2a = s.fma(x, c2a); c2b = s.fma(y, c2b); c2c = s.fma(z, c2c); c2d = s.fma(w, c2d);
            s = FloatVector.broadcast(F, a[pa + 3]); c3a = s.fma(x, c3a); c3b = s.fma(y, c3b); c3c = s.fma(z, c3c); c3d = s.fma(w, c3d);
            s = FloatVector.broadcast(F, a[pa + 4]); c4a = s.fma(x, c4a); c4b = s.fma(y, c4b); c4c = s.fma(z, c4c); c4d = s.fma(w, c4d);
            s = FloatVector.broadcast(F, a[pa + 5]); c5a = s.fma(x, c5a); c5b = s.fma(y, c5b); c5c = s.fma(z, c5c); c5d = s.fma(w, c5d);
        }
        c0a.intoArray(c, c0 + 0 * ldc); c0b.intoArray(c, c0 + 0 * ldc + 1 * FL); c0c.intoArray(c, c0 + 0 * ldc + 2 * FL); c0d.intoArray(c, c0 + 0 * ldc + 3 * FL);
        c1a.intoArray(c, c0 + 1 * ldc); c1b.intoArray(c, c0 + 1 * ldc + 1 * FL); c1c.intoArray(c, c0 + 1 * ldc + 2 * FL); c1d.intoArray(c, c0 + 1 * ldc + 3 * FL);
        c2a.intoArray(c, c0 + 2 * ldc); c2b.intoArray(c, c0 + 2 * ldc + 1 * FL); c2c.intoArray(c, c0 + 2 * ldc + 2 * FL); c2d.intoArray(c, c0 + 2 * ldc + 3 * FL);
        c3a.intoArray(c, c0 + 3 * ldc); c3b.intoArray(c, c0 + 3 * ldc + 1 * FL); c3c.intoArray(c, c0 + 3 * ldc + 2 * FL); c3d.intoArray(c, c0 + 3 * ldc + 3 * FL);
        c4a.intoArray(c, c0 + 4 * ldc); c4b.intoArray(c, c0 + 4 * ldc + 1 * FL); c4c.intoArray(c, c0 + 4 * ldc + 2 * FL); c4d.intoArray(c, c0 + 4 * ldc + 3 * FL);
        c5a.intoArray(c, c0 + 5 * ldc); c5b.intoArray(c, c0 + 5 * ldc + 1 * FL); c5c.intoArray(c, c0 + 5 * ldc + 2 * FL); c5d.intoArray(c, c0 + 5 * ldc + 3 * FL);
    }

    /** 6 rows × 2 vectors (12 accumulators). */
    private static void rows6v2(float[] a, int a0, float[] b, int b0, int kc, float[] c, int c0, int ldc, boolean accumulate) {
        FloatVector c0a, c0b, c1a, c1b, c2a, c2b, c3a, c3b, c4a, c4b, c5a, c5b;
        if (accumulate) {
            c0a = FloatVector.fromArray(F, c, c0 + 0 * ldc); c0b = FloatVector.fromArray(F, c, c0 + 0 * ldc + 1 * FL);
            c1a = FloatVector.fromArray(F, c, c0 + 1 * ldc); c1b = FloatVector.fromArray(F, c, c0 + 1 * ldc + 1 * FL);
            c2a = FloatVector.fromArray(F, c, c0 + 2 * ldc); c2b = FloatVector.fromArray(F, c, c0 + 2 * ldc + 1 * FL);
            c3a = FloatVector.fromArray(F, c, c0 + 3 * ldc); c3b = FloatVector.fromArray(F, c, c0 + 3 * ldc + 1 * FL);
            c4a = FloatVector.fromArray(F, c, c0 + 4 * ldc); c4b = FloatVector.fromArray(F, c, c0 + 4 * ldc + 1 * FL);
            c5a = FloatVector.fromArray(F, c, c0 + 5 * ldc); c5b = FloatVector.fromArray(F, c, c0 + 5 * ldc + 1 * FL);
        } else {
            c0a = c0b = c1a = c1b = c2a = c2b = c3a = c3b = c4a = c4b = c5a = c5b = FloatVector.zero(F);
        }
        for (int k = 0; k < kc; k++) {
            int pa = a0 + k * MR, pb = b0 + k * NR;
            FloatVector x = FloatVector.fromArray(F, b, pb), y = FloatVector.fromArray(F, b, pb + 1 * FL);
            FloatVector s;
            s = FloatVector.broadcast(F, a[pa + 0]); c0a = s.fma(x, c0a); c0b = s.fma(y, c0b);
            s = FloatVector.broadcast(F, a[pa + 1]); c1a = s.fma(x, c1a); c1b = s.fma(y, c1b);
            s = FloatVector.broadcast(F, a[pa + 2]); c2a = s.fma(x, c2a); c2b = s.fma(y, c2b);
            s = FloatVector.broadcast(F, a[pa + 3]); c3a = s.fma(x, c3a); c3b = s.fma(y, c3b);
            s = FloatVector.broadcast(F, a[pa + 4]); c4a = s.fma(x, c4a); c4b = s.fma(y, c4b);
            s = FloatVector.broadcast(F, a[pa + 5]); c5a = s.fma(x, c5a); c5b = s.fma(y, c5b);
        }
        c0a.intoArray(c, c0 + 0 * ldc); c0b.intoArray(c, c0 + 0 * ldc + 1 * FL);
        c1a.intoArray(c, c0 + 1 * ldc); c1b.intoArray(c, c0 + 1 * ldc + 1 * FL);
        c2a.intoArray(c, c0 + 2 * ldc); c2b.intoArray(c, c0 + 2 * ldc + 1 * FL);
        c3a.intoArray(c, c0 + 3 * ldc); c3b.intoArray(c, c0 + 3 * ldc + 1 * FL);
        c4a.intoArray(c, c0 + 4 * ldc); c4b.intoArray(c, c0 + 4 * ldc + 1 * FL);
        c5a.intoArray(c, c0 + 5 * ldc); c5b.intoArray(c, c0 + 5 * ldc + 1 * FL);
    }

    /**
     * 12 rows × 1 vector (12 accumulators + 1 B + 1 broadcast of 16 registers): one B load and twelve broadcast
     * loads per twelve FMAs, more loads per FMA than 4×2 but twelve independent chains where two FMA pipes with a
     * four-cycle latency need eight, so a late load never stalls the pipes. With three loads a cycle (Intel Golden
     * Cove: Alder Lake, Sapphire Rapids; AMD Zen 3/4) the loads fit beside the FMAs; with two (Haswell to Ice Lake,
     * Zen 1/2) they bound it at 12/13 of the FMA peak, still above the 84% the 4×2 block reached (measured on
     * Sapphire Rapids only).
     */
    private static void rows12v1(float[] a, int a0, float[] b, int b0, int kc, float[] c, int c0, int ldc, boolean accumulate) {
        FloatVector c0a, c1a, c2a, c3a, c4a, c5a, c6a, c7a, c8a, c9a, c10a, c11a;
        if (accumulate) {
            c0a = FloatVector.fromArray(F, c, c0 + 0 * ldc); c1a = FloatVector.fromArray(F, c, c0 + 1 * ldc);
            c2a = FloatVector.fromArray(F, c, c0 + 2 * ldc); c3a = FloatVector.fromArray(F, c, c0 + 3 * ldc);
            c4a = FloatVector.fromArray(F, c, c0 + 4 * ldc); c5a = FloatVector.fromArray(F, c, c0 + 5 * ldc);
            c6a = FloatVector.fromArray(F, c, c0 + 6 * ldc); c7a = FloatVector.fromArray(F, c, c0 + 7 * ldc);
            c8a = FloatVector.fromArray(F, c, c0 + 8 * ldc); c9a = FloatVector.fromArray(F, c, c0 + 9 * ldc);
            c10a = FloatVector.fromArray(F, c, c0 + 10 * ldc); c11a = FloatVector.fromArray(F, c, c0 + 11 * ldc);
        } else {
            c0a = c1a = c2a = c3a = c4a = c5a = c6a = c7a = c8a = c9a = c10a = c11a = FloatVector.zero(F);
        }
        for (int k = 0; k < kc; k++) {
            int pa = a0 + k * MR;
            FloatVector x = FloatVector.fromArray(F, b, b0 + k * NR);
            c0a = FloatVector.broadcast(F, a[pa + 0]).fma(x, c0a);
            c1a = FloatVector.broadcast(F, a[pa + 1]).fma(x, c1a);
            c2a = FloatVector.broadcast(F, a[pa + 2]).fma(x, c2a);
            c3a = FloatVector.broadcast(F, a[pa + 3]).fma(x, c3a);
            c4a = FloatVector.broadcast(F, a[pa + 4]).fma(x, c4a);
            c5a = FloatVector.broadcast(F, a[pa + 5]).fma(x, c5a);
            c6a = FloatVector.broadcast(F, a[pa + 6]).fma(x, c6a);
            c7a = FloatVector.broadcast(F, a[pa + 7]).fma(x, c7a);
            c8a = FloatVector.broadcast(F, a[pa + 8]).fma(x, c8a);
            c9a = FloatVector.broadcast(F, a[pa + 9]).fma(x, c9a);
            c10a = FloatVector.broadcast(F, a[pa + 10]).fma(x, c10a);
            c11a = FloatVector.broadcast(F, a[pa + 11]).fma(x, c11a);
        }
        c0a.intoArray(c, c0 + 0 * ldc); c1a.intoArray(c, c0 + 1 * ldc); c2a.intoArray(c, c0 + 2 * ldc); c3a.intoArray(c, c0 + 3 * ldc);
        c4a.intoArray(c, c0 + 4 * ldc); c5a.intoArray(c, c0 + 5 * ldc); c6a.intoArray(c, c0 + 6 * ldc); c7a.intoArray(c, c0 + 7 * ldc);
        c8a.intoArray(c, c0 + 8 * ldc); c9a.intoArray(c, c0 + 9 * ldc); c10a.intoArray(c, c0 + 10 * ldc); c11a.intoArray(c, c0 + 11 * ldc);
    }

    /** The same chains for any vector length: one row and one vector at a time (latency-bound). */
    private static void generic(float[] a, int a0, float[] b, int b0, int kc, float[] c, int c0, int ldc, boolean accumulate) {
        for (int i = 0; i < MR; i++) {
            for (int j = 0; j < NR; j += FL) { // FL divides NR: Isa.FLOAT is 4, 8 or 16 lanes
                FloatVector acc = accumulate ? FloatVector.fromArray(F, c, c0 + i * ldc + j) : FloatVector.zero(F);
                for (int k = 0; k < kc; k++) acc = FloatVector.broadcast(F, a[a0 + k * MR + i]).fma(FloatVector.fromArray(F, b, b0 + k * NR + j), acc);
                acc.intoArray(c, c0 + i * ldc + j);
            }
        }
    }
}
