package org.uso4j.core.backend.cpu.amx;

import static org.uso4j.core.backend.cpu.amx.X86Assembler.R10;
import static org.uso4j.core.backend.cpu.amx.X86Assembler.R11;
import static org.uso4j.core.backend.cpu.amx.X86Assembler.R12;
import static org.uso4j.core.backend.cpu.amx.X86Assembler.R13;
import static org.uso4j.core.backend.cpu.amx.X86Assembler.R14;
import static org.uso4j.core.backend.cpu.amx.X86Assembler.R15;
import static org.uso4j.core.backend.cpu.amx.X86Assembler.R8;
import static org.uso4j.core.backend.cpu.amx.X86Assembler.R9;
import static org.uso4j.core.backend.cpu.amx.X86Assembler.RAX;
import static org.uso4j.core.backend.cpu.amx.X86Assembler.RBP;
import static org.uso4j.core.backend.cpu.amx.X86Assembler.RBX;
import static org.uso4j.core.backend.cpu.amx.X86Assembler.RCX;
import static org.uso4j.core.backend.cpu.amx.X86Assembler.RDI;
import static org.uso4j.core.backend.cpu.amx.X86Assembler.RDX;
import static org.uso4j.core.backend.cpu.amx.X86Assembler.RSI;
import static org.uso4j.core.backend.cpu.amx.X86Assembler.RSP;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The bf16 matrix-multiply micro-kernel on Intel AMX tiles (Sapphire Rapids and later), generated at run time
 * by {@link X86Assembler} and called through the FFM API: A and B as addresses of native memory, C, C-in and the
 * parameters as heap arrays (a critical downcall: no copies).
 *
 * <p>One call computes {@code C (+)= A · B} for {@code mBlocks} blocks of 32 rows × 32 columns over
 * {@code 32·kSteps} k:
 * <ul>
 * <li>A: bf16 in tiles: groups of 16 rows, {@code aGroup} bytes apart, each {@code [kSteps][16 rows][32 k]}
 *     (a tile is 1 KiB, contiguous);</li>
 * <li>B: two tiles of 16 columns in VNNI order, each {@code int[kSteps·16][16]} (an int holds the bf16 pair
 *     k = 2p, 2p+1 of one column, low half first), the second {@code bStride} bytes after the first;</li>
 * <li>C: float32 rows {@code ldc} bytes apart (four 16×16 tiles per block), computed from C-in (the previous C,
 *     a broadcast bias row or zeros) and stored.</li>
 * </ul>
 * Products of bf16 pairs are summed in float32 by the tile unit (round to nearest even, denormals flushed), so
 * results match a float32 GEMM of the bf16-rounded operands to rounding, not bitwise.
 *
 * <p>{@link #available()} is true when the CPU reports amx_tile + amx_bf16, the OS grants the tile data
 * permission ({@code arch_prctl(ARCH_REQ_XCOMP_PERM)}), and {@code -Duso4j.amx=false} is not set.
 */
public final class AmxKernel {
    private AmxKernel() {}

    /**
     * Parameter block (longs): aGroup, ldc, mBlocks, kSteps, bStride, ldcIn (bytes), 6 the kernel's C-in cursor;
     * longs 8..15 the tile configuration.
     */
    public static final int PARAM_LONGS = 16;

    private static final MethodHandle KERNEL;
    private static final String UNAVAILABLE;

    static {
        MethodHandle kernel = null;
        String why = null;
        try {
            why = probe();
            if (why == null) {
                kernel = ExecutableCode.load(kernelCode(), FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS),
                        Linker.Option.critical(true));
            }
        } catch (RuntimeException | LinkageError e) {
            why = "AMX kernel could not be loaded: " + e;
        }
        KERNEL = kernel;
        UNAVAILABLE = why;
    }

    public static boolean available() { return KERNEL != null; }

    /** Why {@link #available()} is false (null when it is true). */
    public static String unavailableReason() { return UNAVAILABLE; }

    private static String probe() {
        if (!Boolean.parseBoolean(System.getProperty("uso4j.amx", "true"))) return "disabled by -Duso4j.amx=false";
        if (!ExecutableCode.supported()) return "not Linux on x86-64";
        List<String> flags;
        try {
            flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> List.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))).orElse(List.of());
        } catch (IOException e) {
            return "cannot read /proc/cpuinfo";
        }
        if (!flags.contains("amx_tile") || !flags.contains("amx_bf16")) return "CPU has no AMX-BF16";
        MethodHandle prctl = ExecutableCode.load(permissionCode(), FunctionDescriptor.of(ValueLayout.JAVA_LONG));
        try {
            long rc = (long) prctl.invokeExact();
            return rc == 0 ? null : "the OS refused AMX tile data (arch_prctl returned " + rc + ")";
        } catch (Throwable t) {
            return "arch_prctl failed: " + t;
        }
    }

    /** {@code arch_prctl(ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA)} as a raw syscall; returns its result. */
    private static byte[] permissionCode() {
        X86Assembler a = new X86Assembler();
        a.movImm(RAX, 158);     // SYS_arch_prctl
        a.movImm(RDI, 0x1023);  // ARCH_REQ_XCOMP_PERM
        a.movImm(RSI, 18);      // XFEATURE_XTILEDATA
        a.syscall();
        a.ret();
        return a.bytes();
    }

    /** Fills the tile configuration (palette 1, eight tiles of 16 rows × 64 bytes) into {@code params[8..15]}. */
    public static void configure(long[] params) {
        // byte 0 palette, 1 start row, 16..31 colsb (u16 per tile), 48..55 rows (u8 per tile)
        Arrays.fill(params, 8, 16, 0L);
        params[8] = 1;
        params[10] = 0x0040_0040_0040_0040L;
        params[11] = 0x0040_0040_0040_0040L;
        params[14] = 0x1010_1010_1010_1010L;
    }

    /**
     * One call (see the class comment): A and B are raw addresses of native memory the caller keeps alive for
     * the call (a shared arena's segments would cost an atomic acquire/release per call, contended between
     * workers); C starts from {@code cIn} (rows {@code params[5]} bytes apart; 0 repeats
     * one row, e.g. a bias) and is stored to {@code c[cOffset ..]}. {@code params} from {@link #configure} plus
     * its first six longs.
     */
    public static void run(long a, long b, float[] c, int cOffset, MemorySegment cIn, long[] params) {
        try {
            KERNEL.invokeExact(a, b, MemorySegment.ofArray(c).asSlice(4L * cOffset), MemorySegment.ofArray(params), cIn);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /*
     * void kernel(A rdi, B rsi, C rdx, params rcx, Cin r8); params also on the stack at [rsp].
     *   r8 A group stride, r9 ldc, r10 m-block counter, r11 kSteps, rbx B tile 1 base, rbp 64 (tile row stride),
     *   r13 C row 16, r14/r15 A rows 0/16 cursors, rax/rcx B tile 0/1 cursors, r12 k counter;
     *   the C-in cursor lives in params[6] (loaded into r12, stride r15, while the C tiles are loaded).
     *   tmm0..3 C (rows 0/16 × cols 0/16), tmm4/5 A rows 0/16, tmm6/7 B cols 0/16.
     */
    private static byte[] kernelCode() {
        X86Assembler x = new X86Assembler();
        for (int r : new int[]{RBX, RBP, R12, R13, R14, R15}) x.push(r);
        x.push(RCX);
        x.ldtilecfg(RCX, 64);
        x.store(RCX, 48, R8);
        x.load(R8, RCX, 0);
        x.load(R9, RCX, 8);
        x.load(R10, RCX, 16);
        x.load(R11, RCX, 24);
        x.load(RBX, RCX, 32);
        x.add(RBX, RSI);
        x.movImm(RBP, 64);
        int mLoop = x.here();
        x.load(R14, RSP, 0);     // params
        x.load(R15, R14, 40);    // ldcIn
        x.load(R12, R14, 48);    // C-in cursor
        x.mov(R13, R15);
        x.shl(R13, 4);
        x.add(R13, R12);
        x.tileloadd(0, R12, R15, 0);
        x.tileloadd(1, R12, R15, 64);
        x.tileloadd(2, R13, R15, 0);
        x.tileloadd(3, R13, R15, 64);
        x.mov(R13, R15);
        x.shl(R13, 5);
        x.add(R12, R13);
        x.store(R14, 48, R12);
        x.mov(R13, R9);
        x.shl(R13, 4);
        x.add(R13, RDX);
        x.mov(R14, RDI);
        x.lea(R15, RDI, R8);
        x.mov(RAX, RSI);
        x.mov(RCX, RBX);
        x.mov(R12, R11);
        int kLoop = x.here();
        x.tileloadd(4, R14, RBP, 0);
        x.tileloadd(6, RAX, RBP, 0);
        x.tdpbf16ps(0, 4, 6);
        x.tileloadd(7, RCX, RBP, 0);
        x.tdpbf16ps(1, 4, 7);
        x.tileloadd(5, R15, RBP, 0);
        x.tdpbf16ps(2, 5, 6);
        x.tdpbf16ps(3, 5, 7);
        x.addImm(R14, 1024);
        x.addImm(R15, 1024);
        x.addImm(RAX, 1024);
        x.addImm(RCX, 1024);
        x.dec(R12);
        x.jnz(kLoop);
        x.tilestored(RDX, R9, 0, 0);
        x.tilestored(RDX, R9, 64, 1);
        x.tilestored(R13, R9, 0, 2);
        x.tilestored(R13, R9, 64, 3);
        x.mov(R13, R9);
        x.shl(R13, 5);
        x.add(RDX, R13);
        x.add(RDI, R8);
        x.add(RDI, R8);
        x.dec(R10);
        x.jnz(mLoop);
        x.tilerelease();
        x.pop(RCX);
        for (int r : new int[]{R15, R14, R13, R12, RBP, RBX}) x.pop(r);
        x.ret();
        return x.bytes();
    }
}
