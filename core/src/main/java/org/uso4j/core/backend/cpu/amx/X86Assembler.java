package org.uso4j.core.backend.cpu.amx;

import java.io.ByteArrayOutputStream;

/**
 * A tiny x86-64 assembler: just the instructions the AMX tile kernel ({@link AmxKernel}) needs. Encodings follow
 * the Intel SDM (REX / VEX prefixes, ModRM + SIB); {@code X86AssemblerTest} checks every emitter against the
 * bytes GNU as produces for the same instruction.
 *
 * <p>Registers are numbered as in the encoding: rax 0, rcx 1, rdx 2, rbx 3, rsp 4, rbp 5, rsi 6, rdi 7,
 * r8..r15 8..15; tile registers tmm0..tmm7.
 */
public final class X86Assembler {
    public static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7;
    public static final int R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public byte[] bytes() { return out.toByteArray(); }

    /** Current offset: a label for a later backward jump. */
    public int here() { return out.size(); }

    private void emit(int... bs) { for (int b : bs) out.write(b); }

    private void emit32(int v) { emit(v & 0xFF, (v >>> 8) & 0xFF, (v >>> 16) & 0xFF, (v >>> 24) & 0xFF); }

    private static int rexW(int reg, int index, int base) {
        return 0x48 | ((reg >> 3) << 2) | ((index >> 3) << 1) | (base >> 3);
    }

    /** ModRM (+ SIB, + displacement) for {@code [base + disp]}, {@code reg} in ModRM.reg. */
    private void memory(int reg, int base, int disp) {
        boolean d8 = disp >= -128 && disp <= 127, none = disp == 0 && (base & 7) != RBP;
        int mod = none ? 0 : d8 ? 1 : 2;
        emit((mod << 6) | ((reg & 7) << 3) | (base & 7));
        if ((base & 7) == RSP) emit(0x24);
        if (mod == 1) emit(disp & 0xFF); else if (mod == 2) emit32(disp);
    }

    /** ModRM + SIB (+ displacement) for {@code [base + index·1 + disp]}. */
    private void sib(int reg, int base, int index, int disp) {
        if ((index & 15) == RSP) throw new IllegalArgumentException("rsp cannot be an index register");
        boolean d8 = disp >= -128 && disp <= 127, none = disp == 0 && (base & 7) != RBP;
        int mod = none ? 0 : d8 ? 1 : 2;
        emit((mod << 6) | ((reg & 7) << 3) | 4, ((index & 7) << 3) | (base & 7));
        if (mod == 1) emit(disp & 0xFF); else if (mod == 2) emit32(disp);
    }

    public void push(int r) { if (r >= 8) emit(0x41); emit(0x50 + (r & 7)); }

    public void pop(int r) { if (r >= 8) emit(0x41); emit(0x58 + (r & 7)); }

    /** {@code mov dst, qword [base + disp]}. */
    public void load(int dst, int base, int disp) { emit(rexW(dst, 0, base), 0x8B); memory(dst, base, disp); }

    /** {@code mov qword [base + disp], src}. */
    public void store(int base, int disp, int src) { emit(rexW(src, 0, base), 0x89); memory(src, base, disp); }

    /** {@code mov dst, src} (64-bit). */
    public void mov(int dst, int src) { emit(rexW(src, 0, dst), 0x89, 0xC0 | ((src & 7) << 3) | (dst & 7)); }

    /** {@code mov dst32, imm32} (zero-extends to 64 bits). */
    public void movImm(int dst, int imm) { if (dst >= 8) emit(0x41); emit(0xB8 + (dst & 7)); emit32(imm); }

    /** {@code add dst, src} (64-bit). */
    public void add(int dst, int src) { emit(rexW(src, 0, dst), 0x01, 0xC0 | ((src & 7) << 3) | (dst & 7)); }

    /** {@code add dst, imm} (64-bit; imm8 or imm32 form, sign-extended). */
    public void addImm(int dst, int imm) {
        if (imm >= -128 && imm <= 127) emit(rexW(0, 0, dst), 0x83, 0xC0 | (dst & 7), imm & 0xFF);
        else { emit(rexW(0, 0, dst), 0x81, 0xC0 | (dst & 7)); emit32(imm); }
    }

    /** {@code shl dst, imm8} (64-bit). */
    public void shl(int dst, int imm) { emit(rexW(0, 0, dst), 0xC1, 0xE0 | (dst & 7), imm & 0xFF); }

    /** {@code lea dst, [base + index]}. */
    public void lea(int dst, int base, int index) { emit(rexW(dst, index, base), 0x8D); sib(dst, base, index, 0); }

    /** {@code dec dst} (64-bit). */
    public void dec(int dst) { emit(rexW(0, 0, dst), 0xFF, 0xC8 | (dst & 7)); }

    /** {@code jnz label} (rel32; the label is an earlier {@link #here()}). */
    public void jnz(int label) { emit(0x0F, 0x85); emit32(label - (here() + 4)); }

    public void syscall() { emit(0x0F, 0x05); }

    public void ret() { emit(0xC3); }

    // ---- AMX (VEX-encoded, map 0F38, W0, L0) -----------------------------------------------------------

    /** VEX3 prefix: {@code pp} 0 none, 1 66, 2 F3, 3 F2; {@code vvvv} the extra register operand (or 0). */
    private void vex(int reg, int index, int base, int vvvv, int pp) {
        int b1 = ((~reg >> 3) & 1) << 7 | ((~index >> 3) & 1) << 6 | ((~base >> 3) & 1) << 5 | 0x02;
        emit(0xC4, b1, ((~vvvv & 15) << 3) | pp);
    }

    /** {@code ldtilecfg [base + disp]}: the 64-byte tile configuration. */
    public void ldtilecfg(int base, int disp) { vex(0, 0, base, 0, 0); emit(0x49); memory(0, base, disp); }

    public void tilerelease() { emit(0xC4, 0xE2, 0x78, 0x49, 0xC0); }

    /** {@code tileloadd tmm, [base + stride·1 + disp]}: 16 rows, {@code stride} bytes apart. */
    public void tileloadd(int tmm, int base, int stride, int disp) { vex(tmm, stride, base, 0, 3); emit(0x4B); sib(tmm, base, stride, disp); }

    /** {@code tilestored [base + stride·1 + disp], tmm}. */
    public void tilestored(int base, int stride, int disp, int tmm) { vex(tmm, stride, base, 0, 2); emit(0x4B); sib(tmm, base, stride, disp); }

    /** {@code tdpbf16ps dst, a, b}: dst[m][n] += Σ_p a[m][2p..2p+1] · b[p][2n..2n+1] (bf16 pairs, f32 sums). */
    public void tdpbf16ps(int dst, int a, int b) { vex(dst, 0, a, b, 2); emit(0x5C, 0xC0 | (dst << 3) | a); }
}
