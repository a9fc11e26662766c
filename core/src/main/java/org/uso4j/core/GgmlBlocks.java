package org.uso4j.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Decoders of GGML block quantizations: the ggml-common.h block layouts, decoded with ggml's
 * {@code dequantize_row_*} formulas (ggml-quants.c) in float32, operation for operation (no fused multiply-add),
 * so the values are bit-identical to ggml's reference C code.
 *
 * <p>Each block is copied to a small byte array and decoded from there; d/m/dmin are IEEE half floats,
 * multi-byte fields little-endian.
 */
final class GgmlBlocks {
    private GgmlBlocks() {}

    /**
     * Decodes {@code n} elements starting at element {@code first} (a block boundary) of {@code src} into
     * {@code dst[dstOff ..]}. A trailing partial block is decoded whole into scratch and cut.
     */
    static void decode(DType type, MemorySegment src, long first, float[] dst, int dstOff, int n) {
        int bs = type.blockSize(), bpb = type.bytesPerBlock();
        if (!type.isQuantized()) throw new IllegalArgumentException(type + " is not a block quantization");
        if (first % bs != 0) throw new IllegalArgumentException(type + ": first element " + first + " is not on a block boundary of " + bs);
        if (n < 0 || dstOff < 0 || dstOff + n > dst.length) throw new IndexOutOfBoundsException("dst range " + dstOff + "+" + n + " of " + dst.length);
        byte[] b = new byte[bpb];
        long blk = first / bs;
        int whole = n / bs, rest = n % bs;
        for (int i = 0; i < whole; i++) {
            MemorySegment.copy(src, ValueLayout.JAVA_BYTE, (blk + i) * bpb, b, 0, bpb);
            decodeBlock(type, b, dst, dstOff + i * bs);
        }
        if (rest > 0) {
            float[] tmp = new float[bs];
            MemorySegment.copy(src, ValueLayout.JAVA_BYTE, (blk + whole) * bpb, b, 0, bpb);
            decodeBlock(type, b, tmp, 0);
            System.arraycopy(tmp, 0, dst, dstOff + whole * bs, rest);
        }
    }

    /** Decodes one block {@code b} (exactly {@code type.bytesPerBlock()} bytes) to {@code y[o .. o + blockSize)}. */
    static void decodeBlock(DType type, byte[] b, float[] y, int o) {
        switch (type) {
            case Q4_0 -> q4_0(b, y, o);
            case Q4_1 -> q4_1(b, y, o);
            case Q5_0 -> q5_0(b, y, o);
            case Q5_1 -> q5_1(b, y, o);
            case Q8_0 -> q8_0(b, y, o);
            case Q2_K -> q2_K(b, y, o);
            case Q3_K -> q3_K(b, y, o);
            case Q4_K -> q4_K(b, y, o);
            case Q5_K -> q5_K(b, y, o);
            case Q6_K -> q6_K(b, y, o);
            default -> throw new UnsupportedOperationException("decoding " + type + " is not implemented");
        }
    }

    static float half(byte[] b, int at) {
        return Float.float16ToFloat((short) ((b[at] & 0xFF) | (b[at + 1] << 8)));
    }

    private static int u8(byte[] b, int at) { return b[at] & 0xFF; }

    private static int u32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    // block_q4_0 {half d; u8 qs[16]}: x = (q - 8) * d; element j low nibble of qs[j], j+16 high nibble.
    private static void q4_0(byte[] b, float[] y, int o) {
        float d = half(b, 0);
        for (int j = 0; j < 16; j++) {
            int q = u8(b, 2 + j);
            y[o + j] = ((q & 0x0F) - 8) * d;
            y[o + j + 16] = ((q >>> 4) - 8) * d;
        }
    }

    // block_q4_1 {half d; half m; u8 qs[16]}: x = q * d + m.
    private static void q4_1(byte[] b, float[] y, int o) {
        float d = half(b, 0), m = half(b, 2);
        for (int j = 0; j < 16; j++) {
            int q = u8(b, 4 + j);
            y[o + j] = (q & 0x0F) * d + m;
            y[o + j + 16] = (q >>> 4) * d + m;
        }
    }

    // block_q5_0 {half d; u32 qh; u8 qs[16]}: bit j of qh = 5th bit of element j; x = (q - 16) * d.
    private static void q5_0(byte[] b, float[] y, int o) {
        float d = half(b, 0);
        int qh = u32(b, 2);
        for (int j = 0; j < 16; j++) {
            int q = u8(b, 6 + j);
            int xh0 = ((qh >>> j) << 4) & 0x10;
            int xh1 = (qh >>> (j + 12)) & 0x10;
            y[o + j] = (((q & 0x0F) | xh0) - 16) * d;
            y[o + j + 16] = (((q >>> 4) | xh1) - 16) * d;
        }
    }

    // block_q5_1 {half d; half m; u32 qh; u8 qs[16]}: x = q * d + m.
    private static void q5_1(byte[] b, float[] y, int o) {
        float d = half(b, 0), m = half(b, 2);
        int qh = u32(b, 4);
        for (int j = 0; j < 16; j++) {
            int q = u8(b, 8 + j);
            int xh0 = ((qh >>> j) << 4) & 0x10;
            int xh1 = (qh >>> (j + 12)) & 0x10;
            y[o + j] = ((q & 0x0F) | xh0) * d + m;
            y[o + j + 16] = ((q >>> 4) | xh1) * d + m;
        }
    }

    // block_q8_0 {half d; i8 qs[32]}: x = q * d.
    private static void q8_0(byte[] b, float[] y, int o) {
        float d = half(b, 0);
        for (int j = 0; j < 32; j++) y[o + j] = b[2 + j] * d;
    }

    // block_q2_K {u8 scales[16] (low nibble scale, high nibble min); u8 qs[64]; half d; half dmin}.
    private static void q2_K(byte[] b, float[] y, int o) {
        final int SC = 0, QS = 16;
        float d = half(b, 80), min = half(b, 82);
        int is = 0, q = QS;
        for (int n = 0; n < 256; n += 128) {
            int shift = 0;
            for (int j = 0; j < 4; j++) {
                int sc = u8(b, SC + is++);
                float dl = d * (sc & 0xF), ml = min * (sc >>> 4);
                for (int l = 0; l < 16; l++) y[o++] = dl * ((u8(b, q + l) >>> shift) & 3) - ml;
                sc = u8(b, SC + is++);
                dl = d * (sc & 0xF);
                ml = min * (sc >>> 4);
                for (int l = 0; l < 16; l++) y[o++] = dl * ((u8(b, q + l + 16) >>> shift) & 3) - ml;
                shift += 2;
            }
            q += 32;
        }
    }

    // block_q3_K {u8 hmask[32]; u8 qs[64]; u8 scales[12] (16 six-bit scales, +32); half d}.
    private static void q3_K(byte[] b, float[] y, int o) {
        final int HM = 0, QS = 32, SC = 96;
        float dAll = half(b, 108);
        int[] scales = q3Scales(b, SC);
        int is = 0, q = QS, m = 1;
        for (int n = 0; n < 256; n += 128) {
            int shift = 0;
            for (int j = 0; j < 4; j++) {
                float dl = dAll * (scales[is++] - 32);
                for (int l = 0; l < 16; l++) {
                    y[o++] = dl * (((u8(b, q + l) >>> shift) & 3) - ((u8(b, HM + l) & m) != 0 ? 0 : 4));
                }
                dl = dAll * (scales[is++] - 32);
                for (int l = 0; l < 16; l++) {
                    y[o++] = dl * (((u8(b, q + l + 16) >>> shift) & 3) - ((u8(b, HM + l + 16) & m) != 0 ? 0 : 4));
                }
                shift += 2;
                m <<= 1;
            }
            q += 32;
        }
    }

    /** The 16 six-bit Q3_K scales: low nibbles from bytes 0..7, top 2 bits from bytes 8..11 (ggml's kmask1/kmask2 shuffle). */
    static int[] q3Scales(byte[] b, int at) {
        int[] s = new int[16];
        for (int i = 0; i < 16; i++) {
            int low = i < 8 ? u8(b, at + i) & 0xF : u8(b, at + i - 8) >>> 4;
            int high = (u8(b, at + 8 + (i % 4)) >>> (2 * (i / 4))) & 3;
            s[i] = low | high << 4;
        }
        return s;
    }

    /** ggml's get_scale_min_k4: six-bit scale (index 0) and min (index 1) number j of a K-quant scales[12]. */
    static int scaleK4(int j, byte[] b, int at) {
        return j < 4 ? u8(b, at + j) & 63 : (u8(b, at + j + 4) & 0xF) | ((u8(b, at + j - 4) >>> 6) << 4);
    }

    static int minK4(int j, byte[] b, int at) {
        return j < 4 ? u8(b, at + j + 4) & 63 : (u8(b, at + j + 4) >>> 4) | ((u8(b, at + j) >>> 6) << 4);
    }

    // block_q4_K {half d; half dmin; u8 scales[12]; u8 qs[128]}: y = (d*sc)*q - (dmin*m), 8 sub-blocks of 32.
    private static void q4_K(byte[] b, float[] y, int o) {
        final int SC = 4, QS = 16;
        float d = half(b, 0), min = half(b, 2);
        int is = 0, q = QS;
        for (int j = 0; j < 256; j += 64) {
            float d1 = d * scaleK4(is, b, SC), m1 = min * minK4(is, b, SC);
            float d2 = d * scaleK4(is + 1, b, SC), m2 = min * minK4(is + 1, b, SC);
            for (int l = 0; l < 32; l++) y[o++] = d1 * (u8(b, q + l) & 0xF) - m1;
            for (int l = 0; l < 32; l++) y[o++] = d2 * (u8(b, q + l) >>> 4) - m2;
            q += 32;
            is += 2;
        }
    }

    // block_q5_K {half d; half dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]}.
    private static void q5_K(byte[] b, float[] y, int o) {
        final int SC = 4, QH = 16, QS = 48;
        float d = half(b, 0), min = half(b, 2);
        int is = 0, ql = QS, u1 = 1, u2 = 2;
        for (int j = 0; j < 256; j += 64) {
            float d1 = d * scaleK4(is, b, SC), m1 = min * minK4(is, b, SC);
            float d2 = d * scaleK4(is + 1, b, SC), m2 = min * minK4(is + 1, b, SC);
            for (int l = 0; l < 32; l++) y[o++] = d1 * ((u8(b, ql + l) & 0xF) + ((u8(b, QH + l) & u1) != 0 ? 16 : 0)) - m1;
            for (int l = 0; l < 32; l++) y[o++] = d2 * ((u8(b, ql + l) >>> 4) + ((u8(b, QH + l) & u2) != 0 ? 16 : 0)) - m2;
            ql += 32;
            is += 2;
            u1 <<= 2;
            u2 <<= 2;
        }
    }

    // block_q6_K {u8 ql[128]; u8 qh[64]; i8 scales[16]; half d}: y = (d*sc)*q, q in [-32, 31].
    private static void q6_K(byte[] b, float[] y, int o) {
        final int QL = 0, QH = 128, SC = 192;
        float d = half(b, 208);
        int ql = QL, qh = QH, sc = SC;
        for (int n = 0; n < 256; n += 128) {
            for (int l = 0; l < 32; l++) {
                int is = l / 16;
                int h = u8(b, qh + l);
                int q1 = ((u8(b, ql + l) & 0xF) | ((h & 3) << 4)) - 32;
                int q2 = ((u8(b, ql + l + 32) & 0xF) | (((h >>> 2) & 3) << 4)) - 32;
                int q3 = ((u8(b, ql + l) >>> 4) | (((h >>> 4) & 3) << 4)) - 32;
                int q4 = ((u8(b, ql + l + 32) >>> 4) | (((h >>> 6) & 3) << 4)) - 32;
                y[o + l] = d * b[sc + is] * q1;
                y[o + l + 32] = d * b[sc + is + 2] * q2;
                y[o + l + 64] = d * b[sc + is + 4] * q3;
                y[o + l + 96] = d * b[sc + is + 6] * q4;
            }
            o += 128;
            ql += 64;
            qh += 32;
            sc += 8;
        }
    }
}
