package org.uso4j.pipeline.image.webp;

/**
 * VP8's integer inverse transforms (RFC 6386 section 14.3 and 14.4) with libwebp's arithmetic
 * ({@code src/dsp/dec.c} {@code TransformOne}, {@code TransformWHT}). Coefficients are 16-bit like libwebp's
 * {@code int16_t}: dequantized values and WHT outputs wrap on overflow exactly as there. libwebp's shortcuts for
 * sparse blocks ({@code TransformAC3}, {@code TransformDC}) give the same pixels as the full transform.
 */
final class Vp8Transforms {
    private Vp8Transforms() {}

    /** {@code a * (1 + 20091/65536)} with libwebp's rounding ({@code MUL1}): cos(pi/8)*sqrt(2). */
    private static int mul1(int a) { return ((a * 20091) >> 16) + a; }

    /** {@code a * 35468/65536} ({@code MUL2}): sin(pi/8)*sqrt(2). */
    private static int mul2(int a) { return (a * 35468) >> 16; }

    /**
     * Inverse DCT of the 16 coefficients {@code in[off..off+16)} (raster order) added to the 4x4 pixels at
     * {@code dst} (row stride {@link Vp8Predictors#BPS}) with clipping to 0..255.
     */
    static void inverseDctAdd(short[] in, int off, int[] pix, int dst) {
        int[] tmp = new int[16];
        for (int i = 0; i < 4; i++) { // vertical pass, column i
            int i0 = in[off + i], i4 = in[off + 4 + i], i8 = in[off + 8 + i], i12 = in[off + 12 + i];
            int a = i0 + i8;
            int b = i0 - i8;
            int c = mul2(i4) - mul1(i12);
            int d = mul1(i4) + mul2(i12);
            tmp[4 * i] = a + d;
            tmp[4 * i + 1] = b + c;
            tmp[4 * i + 2] = b - c;
            tmp[4 * i + 3] = a - d;
        }
        for (int i = 0; i < 4; i++) { // horizontal pass, output row i
            int dc = tmp[i] + 4;
            int a = dc + tmp[8 + i];
            int b = dc - tmp[8 + i];
            int c = mul2(tmp[4 + i]) - mul1(tmp[12 + i]);
            int d = mul1(tmp[4 + i]) + mul2(tmp[12 + i]);
            int row = dst + i * Vp8Predictors.BPS;
            pix[row] = clip8(pix[row] + ((a + d) >> 3));
            pix[row + 1] = clip8(pix[row + 1] + ((b + c) >> 3));
            pix[row + 2] = clip8(pix[row + 2] + ((b - c) >> 3));
            pix[row + 3] = clip8(pix[row + 3] + ((a - d) >> 3));
        }
    }

    /**
     * Inverse Walsh-Hadamard transform of the 16 luma DC coefficients {@code in}: output {@code k} becomes
     * coefficient 0 of luma block {@code k}, i.e. {@code coeffs[16 * k]}.
     */
    static void inverseWht(short[] in, short[] coeffs) {
        int[] tmp = new int[16];
        for (int i = 0; i < 4; i++) {
            int a0 = in[i] + in[12 + i];
            int a1 = in[4 + i] + in[8 + i];
            int a2 = in[4 + i] - in[8 + i];
            int a3 = in[i] - in[12 + i];
            tmp[i] = a0 + a1;
            tmp[8 + i] = a0 - a1;
            tmp[4 + i] = a3 + a2;
            tmp[12 + i] = a3 - a2;
        }
        for (int i = 0; i < 4; i++) {
            int dc = tmp[i * 4] + 3; // rounder
            int a0 = dc + tmp[3 + i * 4];
            int a1 = tmp[1 + i * 4] + tmp[2 + i * 4];
            int a2 = tmp[1 + i * 4] - tmp[2 + i * 4];
            int a3 = dc - tmp[3 + i * 4];
            int out = 64 * i;
            coeffs[out] = (short) ((a0 + a1) >> 3);
            coeffs[out + 16] = (short) ((a3 + a2) >> 3);
            coeffs[out + 32] = (short) ((a0 - a1) >> 3);
            coeffs[out + 48] = (short) ((a3 - a2) >> 3);
        }
    }

    private static int clip8(int v) { return (v & ~0xff) == 0 ? v : v < 0 ? 0 : 255; }
}
