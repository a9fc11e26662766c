package org.uso4j.core.backend.cpu.amx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.uso4j.core.backend.cpu.amx.X86Assembler.*;

import java.util.HexFormat;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every emitter against the bytes GNU as 2.40 ({@code as --64}, Intel syntax) produces for the same instruction. */
public class X86AssemblerTest {

    private static void check(String expectedHex, Consumer<X86Assembler> emit) {
        X86Assembler a = new X86Assembler();
        emit.accept(a);
        assertEquals(expectedHex.replace(" ", ""), HexFormat.of().formatHex(a.bytes()));
    }

    @Test void generalPurpose() {
        check("53", a -> a.push(RBX));
        check("4154", a -> a.push(R12));
        check("415f", a -> a.pop(R15));
        check("5d", a -> a.pop(RBP));
        check("4c8b01", a -> a.load(R8, RCX, 0));
        check("4c8b4908", a -> a.load(R9, RCX, 8));
        check("488b5920", a -> a.load(RBX, RCX, 32));
        check("4c8b6d00", a -> a.load(R13, RBP, 0));
        check("498b442410", a -> a.load(RAX, R12, 16));
        check("4c894130", a -> a.store(RCX, 48, R8));
        check("4d896630", a -> a.store(R14, 48, R12));
        check("4c8b3424", a -> a.load(R14, RSP, 0));
        check("4d89cd", a -> a.mov(R13, R9));
        check("4889f0", a -> a.mov(RAX, RSI));
        check("4801f3", a -> a.add(RBX, RSI));
        check("4901d5", a -> a.add(R13, RDX));
        check("4983c640", a -> a.addImm(R14, 64));
        check("4881c000040000", a -> a.addImm(RAX, 1024)); // as picks the rax-only short form 48 05; same instruction
        check("49c1e504", a -> a.shl(R13, 4));
        check("49ffcc", a -> a.dec(R12));
        check("49ffca", a -> a.dec(R10));
        check("bd40000000", a -> a.movImm(RBP, 64));
        check("41bb9e000000", a -> a.movImm(R11, 158));
        check("488d1c1e", a -> a.lea(RBX, RSI, RBX));
        check("4f8d6c0d00", a -> a.lea(R13, R13, R9));
        check("0f05", X86Assembler::syscall);
        check("c3", X86Assembler::ret);
    }

    @Test void backwardJump() {
        // label: dec r12; jnz label  →  jnz rel32 = -(3 + 6)
        check("49ffcc 0f85f7ffffff", a -> { int l = a.here(); a.dec(R12); a.jnz(l); });
    }

    @Test void amx() {
        check("c4e2784941 40", a -> a.ldtilecfg(RCX, 64));
        check("c4e2784907", a -> a.ldtilecfg(RDI, 0));
        check("c4e27849c0", X86Assembler::tilerelease);
        check("c4a27b4b040a", a -> a.tileloadd(0, RDX, R9, 0));
        check("c4a27b4b4c0a40", a -> a.tileloadd(1, RDX, R9, 64));
        check("c4827b4b540d00", a -> a.tileloadd(2, R13, R9, 0));
        check("c4e27b4b3428", a -> a.tileloadd(6, RAX, RBP, 0));
        check("c4827b4b2406", a -> a.tileloadd(4, R14, R8, 0));
        check("c4a27a4b040a", a -> a.tilestored(RDX, R9, 0, 0));
        check("c4827a4b5c0d40", a -> a.tilestored(R13, R9, 64, 3));
        check("c4e24a5cc4", a -> a.tdpbf16ps(0, 4, 6));
        check("c4e2425cdd", a -> a.tdpbf16ps(3, 5, 7));
    }
}
