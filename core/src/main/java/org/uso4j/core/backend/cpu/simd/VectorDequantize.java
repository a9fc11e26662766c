package org.uso4j.core.backend.cpu.simd;

import static org.uso4j.core.backend.cpu.simd.VectorMath.F;
import static org.uso4j.core.backend.cpu.simd.VectorMath.FL;
import static org.uso4j.core.backend.cpu.simd.VectorMath.I;
import static org.uso4j.core.backend.cpu.simd.VectorMath.LE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.uso4j.core.DType;
import org.uso4j.core.Dequantize;

/**
 * Vectorised decoding of stored weights to float32: the same values as {@link Dequantize#decode}, bit for bit
 * (the same float operations in the same order per element: ggml's {@code dequantize_row_*} with no fused
 * multiply-add). Works block by block on the memory-mapped bytes, {@link #FL} lanes at a time: bytes widen to int
 * lanes, nibbles and bit planes are masked and shifted, then one convert and the block's scale/min per lane.
 * F16 stays scalar ({@link Float#float16ToFloat} is an intrinsic). Twin: {@link Dequantize#decode} (the test compares them bitwise on random blocks of every type).
 */
public final class VectorDequantize {
    private VectorDequantize() {}

    /** FL bytes per load, widened to FL int lanes; null at 4 lanes (there is no 32-bit byte vector): see {@link #u8}. */
    private static final VectorSpecies<Byte> B = FL >= 8 && FL <= 16 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(FL * 8)) : null;
    /** At 4 lanes, byte j of a little-endian int word goes to lane j: shift counts per lane. */
    private static final IntVector WORD_SHIFTS = FL == 4 ? IntVector.fromArray(I, new int[] {0, 8, 16, 24}, 0) : null;
    private static final IntVector WORD_SHIFTS_UP = FL == 4 ? IntVector.fromArray(I, new int[] {24, 16, 8, 0}, 0) : null;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);
    /** Lane indices 0..FL-1 (Q5 high-bit planes). */
    private static final IntVector IOTA = IntVector.zero(I).addIndex(1);

    /** True where this machine's vector width has a vector decoder for {@code type}. */
    public static boolean vectorised(DType type) {
        if (B == null && WORD_SHIFTS == null) return false;
        return switch (type) {
            case F32, BF16, F8_E4M3, F8_E5M2, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K -> true;
            default -> false;
        };
    }

    /**
     * Decodes {@code n} elements from element {@code first} of {@code seg} (holding {@code type}) into
     * {@code dst[off ..]}; for block types {@code first} is a block boundary. A partial last block and types
     * without a vector decoder go through {@link Dequantize#decode}.
     */
    public static void decode(DType type, MemorySegment seg, long first, float[] dst, int off, int n) {
        if (!vectorised(type)) {
            Dequantize.decode(type, seg, first, dst, off, n);
            return;
        }
        int bs = type.blockSize();
        if (first % bs != 0) throw new IllegalArgumentException(type + ": first element " + first + " is not on a block boundary of " + bs);
        int whole = bs == 1 ? n / FL * FL : n / bs * bs;
        long at = first / bs * type.bytesPerBlock();
        int bpb = type.bytesPerBlock();
        switch (type) {
            case F32 -> f32Run(seg, first, dst, off, whole);
            case BF16 -> bf16Run(seg, first, dst, off, whole);
            case F8_E5M2 -> e5m2Run(seg, first, dst, off, whole);
            case F8_E4M3 -> e4m3Run(seg, first, dst, off, whole);
            case Q8_0 -> { for (int i = 0; i < whole; i += 32, at += bpb) q8_0(seg, at, dst, off + i); }
            case Q4_0 -> { for (int i = 0; i < whole; i += 32, at += bpb) q4(seg, at, false, dst, off + i); }
            case Q4_1 -> { for (int i = 0; i < whole; i += 32, at += bpb) q4(seg, at, true, dst, off + i); }
            case Q5_0 -> { for (int i = 0; i < whole; i += 32, at += bpb) q5(seg, at, false, dst, off + i); }
            case Q5_1 -> { for (int i = 0; i < whole; i += 32, at += bpb) q5(seg, at, true, dst, off + i); }
            case Q2_K -> { for (int i = 0; i < whole; i += 256, at += bpb) KQuantVectors.q2_K(seg, at, dst, off + i); }
            case Q3_K -> { for (int i = 0; i < whole; i += 256, at += bpb) KQuantVectors.q3_K(seg, at, dst, off + i); }
            case Q4_K -> { for (int i = 0; i < whole; i += 256, at += bpb) KQuantVectors.q4_K(seg, at, dst, off + i); }
            case Q5_K -> { for (int i = 0; i < whole; i += 256, at += bpb) KQuantVectors.q5_K(seg, at, dst, off + i); }
            case Q6_K -> { for (int i = 0; i < whole; i += 256, at += bpb) KQuantVectors.q6_K(seg, at, dst, off + i); }
            default -> throw new IllegalStateException(type.toString());
        }
        if (whole < n) Dequantize.decode(type, seg, first + whole, dst, off + whole, n - whole);
    }

    // One method per type and run, so each loop is compiled (and its vector helpers inlined) on its own: inside
    // one large switch the JIT runs out of inlining budget and boxes the vectors (10x slower).

    private static void f32Run(MemorySegment seg, long first, float[] dst, int off, int n) {
        for (int i = 0; i < n; i += FL) FloatVector.fromMemorySegment(F, seg, (first + i) * 4, LE).intoArray(dst, off + i);
    }

    private static void bf16Run(MemorySegment seg, long first, float[] dst, int off, int n) {
        for (int i = 0; i < n; i += FL) VectorMath.bf16(seg, (first + i) * 2).intoArray(dst, off + i);
    }

    private static void e5m2Run(MemorySegment seg, long first, float[] dst, int off, int n) {
        for (int i = 0; i < n; i += FL) e5m2(seg, first + i).intoArray(dst, off + i);
    }

    private static void e4m3Run(MemorySegment seg, long first, float[] dst, int off, int n) {
        for (int i = 0; i < n; i += FL) e4m3(seg, first + i).intoArray(dst, off + i);
    }

    public static float half(MemorySegment seg, long at) { return Float.float16ToFloat(seg.get(I16, at)); }

    public static int u32(MemorySegment seg, long at) { return seg.get(I32, at); }

    /** FL bytes at {@code at} as unsigned int lanes (at 4 lanes: one int word, each lane shifting out its byte). */
    public static IntVector u8(MemorySegment seg, long at) {
        if (B == null) return IntVector.broadcast(I, seg.get(I32, at)).lanewise(VectorOperators.LSHR, WORD_SHIFTS).and(0xFF);
        return ((IntVector) ByteVector.fromMemorySegment(B, seg, at, LE).convertShape(VectorOperators.B2I, I, 0)).and(0xFF);
    }

    /** FL bytes at {@code at} as signed int lanes. */
    static IntVector s8(MemorySegment seg, long at) {
        if (B == null) {
            return IntVector.broadcast(I, seg.get(I32, at)).lanewise(VectorOperators.LSHL, WORD_SHIFTS_UP).lanewise(VectorOperators.ASHR, 24);
        }
        return (IntVector) ByteVector.fromMemorySegment(B, seg, at, LE).convertShape(VectorOperators.B2I, I, 0);
    }

    public static FloatVector toFloat(IntVector v) { return (FloatVector) v.convertShape(VectorOperators.I2F, F, 0); }

    // ---- float formats: built in the exponent bits, subnormals by an exact int-to-float product ----

    /** e5m2 is the upper byte of a half. */
    private static FloatVector e5m2(MemorySegment seg, long at) {
        IntVector b = u8(seg, at);
        IntVector mag = b.and(0x7F), exp = mag.and(0x7C);
        IntVector bits = mag.lanewise(VectorOperators.LSHL, 21).add((127 - 15) << 23);
        bits = bits.blend(mag.lanewise(VectorOperators.LSHL, 21).or(0x7F800000), exp.compare(VectorOperators.EQ, 0x7C));
        FloatVector sub = toFloat(mag).mul(0x1p-16f);
        FloatVector v = bits.reinterpretAsFloats().blend(sub, exp.compare(VectorOperators.EQ, 0).cast(F));
        return v.reinterpretAsInts().or(b.and(0x80).lanewise(VectorOperators.LSHL, 24)).reinterpretAsFloats();
    }

    /** e4m3fn: bias 7, subnormals m/8·2^-6, 0x7F/0xFF NaN, no infinities. */
    private static FloatVector e4m3(MemorySegment seg, long at) {
        IntVector b = u8(seg, at);
        IntVector mag = b.and(0x7F);
        FloatVector v = mag.lanewise(VectorOperators.LSHL, 20).add((127 - 7) << 23).reinterpretAsFloats();
        v = v.blend(toFloat(mag).mul(0x1p-9f), mag.compare(VectorOperators.LT, 8).cast(F));
        v = v.reinterpretAsInts().or(b.and(0x80).lanewise(VectorOperators.LSHL, 24)).reinterpretAsFloats();
        return v.blend(Float.NaN, mag.compare(VectorOperators.EQ, 0x7F).cast(F)); // the table's NaN has no sign
    }

    // ---- 32-element blocks ----

    // block_q8_0 {half d; i8 qs[32]}: x = q * d.
    private static void q8_0(MemorySegment seg, long at, float[] y, int o) {
        float d = half(seg, at);
        for (int j = 0; j < 32; j += FL) {
            toFloat(s8(seg, at + 2 + j)).mul(d).intoArray(y, o + j);
        }
    }

    // block_q4_0 {half d; u8 qs[16]}: (q - 8) * d; block_q4_1 {half d; half m; u8 qs[16]}: q * d + m.
    private static void q4(MemorySegment seg, long at, boolean withMin, float[] y, int o) {
        float d = half(seg, at), m = withMin ? half(seg, at + 2) : 0f;
        long qs = at + (withMin ? 4 : 2);
        for (int j = 0; j < 16; j += FL) {
            IntVector q = u8(seg, qs + j);
            IntVector lo = q.and(0x0F), hi = q.lanewise(VectorOperators.LSHR, 4);
            if (withMin) {
                toFloat(lo).mul(d).add(m).intoArray(y, o + j);
                toFloat(hi).mul(d).add(m).intoArray(y, o + j + 16);
            } else {
                toFloat(lo.sub(8)).mul(d).intoArray(y, o + j);
                toFloat(hi.sub(8)).mul(d).intoArray(y, o + j + 16);
            }
        }
    }

    // block_q5_0 {half d; u32 qh; u8 qs[16]}: (q - 16) * d; block_q5_1 {half d; half m; u32 qh; u8 qs[16]}: q * d + m.
    // Bit j of qh is the fifth bit of element j, bit j + 16 that of element j + 16.
    private static void q5(MemorySegment seg, long at, boolean withMin, float[] y, int o) {
        float d = half(seg, at), m = withMin ? half(seg, at + 2) : 0f;
        int qh = u32(seg, at + (withMin ? 4 : 2));
        long qs = at + (withMin ? 8 : 6);
        IntVector h = IntVector.broadcast(I, qh);
        for (int j = 0; j < 16; j += FL) {
            IntVector idx = IOTA.add(j);
            IntVector q = u8(seg, qs + j);
            IntVector lo = q.and(0x0F).or(h.lanewise(VectorOperators.LSHR, idx).lanewise(VectorOperators.LSHL, 4).and(0x10));
            IntVector hi = q.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, idx.add(12)).and(0x10));
            if (withMin) {
                toFloat(lo).mul(d).add(m).intoArray(y, o + j);
                toFloat(hi).mul(d).add(m).intoArray(y, o + j + 16);
            } else {
                toFloat(lo.sub(16)).mul(d).intoArray(y, o + j);
                toFloat(hi.sub(16)).mul(d).intoArray(y, o + j + 16);
            }
        }
    }
}
