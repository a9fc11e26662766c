package org.uso4j.core.backend.cpu.simd;

import static org.uso4j.core.backend.cpu.simd.VectorDequantize.half;
import static org.uso4j.core.backend.cpu.simd.VectorDequantize.toFloat;
import static org.uso4j.core.backend.cpu.simd.VectorDequantize.u8;
import static org.uso4j.core.backend.cpu.simd.VectorMath.FL;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector decoders of the GGML K-quant super-blocks (256 elements): ggml-quants.c {@code dequantize_row_q2_K ..
 * q6_K}, float operation for float operation, {@code FL} (8 or 16) elements per step of a 16- or 32-element
 * sub-block run, each run with its own scalar scale and min. {@code at} is the block's byte offset, {@code y[o ..
 * o + 256)} the output. Part of {@link VectorDequantize} (same twin, same test).
 */
public final class KQuantVectors {
    private KQuantVectors() {}

    private static int b(MemorySegment seg, long at) { return seg.get(ValueLayout.JAVA_BYTE, at) & 0xFF; }

    /** ggml's get_scale_min_k4 over a 12-byte scales field at {@code sc}: scale (min = false) or min number j. */
    private static int k4(MemorySegment seg, long sc, int j, boolean min) {
        if (j < 4) return b(seg, sc + j + (min ? 4 : 0)) & 63;
        return min ? (b(seg, sc + j + 4) >>> 4) | ((b(seg, sc + j) >>> 6) << 4)
                   : (b(seg, sc + j + 4) & 0xF) | ((b(seg, sc + j - 4) >>> 6) << 4);
    }

    // block_q2_K {u8 scales[16] (low nibble scale, high nibble min); u8 qs[64]; half d; half dmin}.
    public static void q2_K(MemorySegment seg, long at, float[] y, int o) {
        float d = half(seg, at + 80), min = half(seg, at + 82);
        int is = 0;
        long q = at + 16;
        for (int n = 0; n < 256; n += 128) {
            for (int shift = 0; shift < 8; shift += 2) {
                for (int half = 0; half < 32; half += 16) {
                    int sc = b(seg, at + is++);
                    float dl = d * (sc & 0xF), ml = min * (sc >>> 4);
                    for (int l = 0; l < 16; l += FL) {
                        IntVector v = u8(seg, q + half + l).lanewise(VectorOperators.LSHR, shift).and(3);
                        toFloat(v).mul(dl).sub(ml).intoArray(y, o + l);
                    }
                    o += 16;
                }
            }
            q += 32;
        }
    }

    // block_q3_K {u8 hmask[32]; u8 qs[64]; u8 scales[12] (16 six-bit scales, +32); half d}.
    public static void q3_K(MemorySegment seg, long at, float[] y, int o) {
        float dAll = half(seg, at + 108);
        long sc = at + 96;
        int is = 0, m = 1;
        long q = at + 32;
        for (int n = 0; n < 256; n += 128) {
            for (int shift = 0; shift < 8; shift += 2) {
                for (int half = 0; half < 32; half += 16) {
                    int i = is++;
                    int low = i < 8 ? b(seg, sc + i) & 0xF : b(seg, sc + i - 8) >>> 4;
                    int high = (b(seg, sc + 8 + (i % 4)) >>> (2 * (i / 4))) & 3;
                    float dl = dAll * ((low | high << 4) - 32);
                    for (int l = 0; l < 16; l += FL) {
                        IntVector v = u8(seg, q + half + l).lanewise(VectorOperators.LSHR, shift).and(3);
                        IntVector hm = u8(seg, at + half + l);
                        v = v.sub(IntVector.broadcast(VectorMath.I, 4).blend(0, hm.and(m).compare(VectorOperators.NE, 0)));
                        toFloat(v).mul(dl).intoArray(y, o + l);
                    }
                    o += 16;
                }
                m <<= 1;
            }
            q += 32;
        }
    }

    // block_q4_K {half d; half dmin; u8 scales[12]; u8 qs[128]}: y = (d*sc)*q - (dmin*m), 8 sub-blocks of 32.
    public static void q4_K(MemorySegment seg, long at, float[] y, int o) {
        float d = half(seg, at), min = half(seg, at + 2);
        long sc = at + 4, q = at + 16;
        for (int is = 0; is < 8; is += 2) {
            float d1 = d * k4(seg, sc, is, false), m1 = min * k4(seg, sc, is, true);
            float d2 = d * k4(seg, sc, is + 1, false), m2 = min * k4(seg, sc, is + 1, true);
            for (int l = 0; l < 32; l += FL) {
                IntVector v = u8(seg, q + l);
                toFloat(v.and(0xF)).mul(d1).sub(m1).intoArray(y, o + l);
                toFloat(v.lanewise(VectorOperators.LSHR, 4)).mul(d2).sub(m2).intoArray(y, o + 32 + l);
            }
            q += 32;
            o += 64;
        }
    }

    // block_q5_K {half d; half dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]}.
    public static void q5_K(MemorySegment seg, long at, float[] y, int o) {
        float d = half(seg, at), min = half(seg, at + 2);
        long sc = at + 4, qh = at + 16, ql = at + 48;
        int u1 = 1, u2 = 2;
        for (int is = 0; is < 8; is += 2) {
            float d1 = d * k4(seg, sc, is, false), m1 = min * k4(seg, sc, is, true);
            float d2 = d * k4(seg, sc, is + 1, false), m2 = min * k4(seg, sc, is + 1, true);
            for (int l = 0; l < 32; l += FL) {
                IntVector v = u8(seg, ql + l), h = u8(seg, qh + l);
                FloatVector lo = toFloat(v.and(0xF).add(h.and(u1).lanewise(VectorOperators.LSHR, Integer.numberOfTrailingZeros(u1)).lanewise(VectorOperators.LSHL, 4)));
                FloatVector hi = toFloat(v.lanewise(VectorOperators.LSHR, 4).add(h.and(u2).lanewise(VectorOperators.LSHR, Integer.numberOfTrailingZeros(u2)).lanewise(VectorOperators.LSHL, 4)));
                lo.mul(d1).sub(m1).intoArray(y, o + l);
                hi.mul(d2).sub(m2).intoArray(y, o + 32 + l);
            }
            ql += 32;
            o += 64;
            u1 <<= 2;
            u2 <<= 2;
        }
    }

    // block_q6_K {u8 ql[128]; u8 qh[64]; i8 scales[16]; half d}: y = (d*sc)*q, q in [-32, 31].
    public static void q6_K(MemorySegment seg, long at, float[] y, int o) {
        float d = half(seg, at + 208);
        long ql = at, qh = at + 128, sc = at + 192;
        for (int n = 0; n < 256; n += 128) {
            // quarter j of 32: nibble (j / 2) of ql[l + 32·(j % 2)] with bits 2j, 2j+1 of qh[l] on top, minus 32
            for (int j = 0; j < 4; j++) {
                for (int l = 0; l < 32; l += FL) {
                    float ds = d * seg.get(ValueLayout.JAVA_BYTE, sc + l / 16 + 2 * j);
                    IntVector a = u8(seg, ql + l + 32 * (j % 2)).lanewise(VectorOperators.LSHR, 4 * (j / 2)).and(0xF);
                    IntVector h = u8(seg, qh + l).lanewise(VectorOperators.LSHR, 2 * j).and(3).lanewise(VectorOperators.LSHL, 4);
                    toFloat(a.or(h).sub(32)).mul(ds).intoArray(y, o + 32 * j + l);
                }
            }
            o += 128;
            ql += 64;
            qh += 32;
            sc += 8;
        }
    }
}
