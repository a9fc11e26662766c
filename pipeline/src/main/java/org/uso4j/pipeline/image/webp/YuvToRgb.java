package org.uso4j.pipeline.image.webp;

/**
 * YUV 4:2:0 to RGB as libwebp outputs {@code MODE_RGB}/{@code MODE_RGBA} (what Pillow receives): "fancy"
 * upsampling of the chroma ({@code src/dsp/upsampling.c} {@code UpsampleRgbLinePair}, row pairing of
 * {@code src/dec/io_dec.c} {@code EmitFancyRGB}) and BT.601 conversion in libwebp's fixed point
 * ({@code src/dsp/yuv.h} {@code VP8YUVToR/G/B}, libwebp 0.5 and later: {@code MultHi} products {@code (v * c) >> 8},
 * sums with 6 fractional bits, clipped through a 14-bit mask; the same in its C, SSE2 and NEON paths).
 *
 * <p>Each chroma sample is interpolated from its 2x2 neighbourhood with weights 9/16, 3/16, 3/16, 1/16, computed
 * the way libwebp does (two rounded stages through the diagonals), and mirrored at the picture borders.
 */
final class YuvToRgb {
    private YuvToRgb() {}

    /**
     * Converts a {@code width x height} picture; luma row {@code r} starts at {@code y[r * ys]}, chroma row
     * {@code c} at {@code u[c * uvs]} and {@code v[c * uvs]}. Returns RGB, row-major HWC.
     */
    static byte[] convert(byte[] y, int ys, byte[] u, byte[] v, int uvs, int width, int height) {
        byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
        int uvH = (height + 1) >> 1;
        for (int r = 0; r < height; r++) {
            // EmitFancyRGB: row 0 alone from chroma row 0; then row pairs (2k-1, 2k) between chroma rows k-1
            // and k, each row weighting the nearer chroma row 3:1; the last row of an even height alone.
            int near, far;
            if (r == 0) {
                near = far = 0;
            } else if ((r & 1) == 1) {
                near = (r - 1) >> 1;
                far = Math.min((r + 1) >> 1, uvH - 1);
            } else {
                near = r >> 1;
                far = near - 1;
            }
            upsampleRow(y, r * ys, u, v, near * uvs, far * uvs, width, rgb, r * width * 3);
        }
        return rgb;
    }

    /**
     * One row of {@code UpsampleRgbLinePair}: chroma weighted 3:1 between the {@code near} row (libwebp's "top"
     * samples for the top row of a pair, "cur" for the bottom row) and the {@code far} row, then 3:1 horizontally.
     */
    private static void upsampleRow(byte[] y, int yo, byte[] u, byte[] v, int near, int far, int len, byte[] rgb, int out) {
        int lastPair = (len - 1) >> 1;
        int nu = u[near] & 0xFF, fu = u[far] & 0xFF, nv = v[near] & 0xFF, fv = v[far] & 0xFF;
        put(rgb, out, y[yo] & 0xFF, (3 * nu + fu + 2) >> 2, (3 * nv + fv + 2) >> 2);
        for (int x = 1; x <= lastPair; x++) {
            int nu1 = u[near + x] & 0xFF, fu1 = u[far + x] & 0xFF, nv1 = v[near + x] & 0xFF, fv1 = v[far + x] & 0xFF;
            int avgU = nu + nu1 + fu + fu1 + 8, avgV = nv + nv1 + fv + fv1 + 8;
            // the two diagonals of the 2x2 chroma square: A = (near x, far x-1), B = (near x-1, far x)
            int dAu = (avgU + 2 * (nu1 + fu)) >> 3, dBu = (avgU + 2 * (nu + fu1)) >> 3;
            int dAv = (avgV + 2 * (nv1 + fv)) >> 3, dBv = (avgV + 2 * (nv + fv1)) >> 3;
            put(rgb, out + (2 * x - 1) * 3, y[yo + 2 * x - 1] & 0xFF, (dAu + nu) >> 1, (dAv + nv) >> 1);
            put(rgb, out + 2 * x * 3, y[yo + 2 * x] & 0xFF, (dBu + nu1) >> 1, (dBv + nv1) >> 1);
            nu = nu1;
            fu = fu1;
            nv = nv1;
            fv = fv1;
        }
        if ((len & 1) == 0) {
            put(rgb, out + (len - 1) * 3, y[yo + len - 1] & 0xFF, (3 * nu + fu + 2) >> 2, (3 * nv + fv + 2) >> 2);
        }
    }

    private static void put(byte[] rgb, int o, int y, int u, int v) {
        rgb[o] = (byte) yuvToR(y, v);
        rgb[o + 1] = (byte) yuvToG(y, u, v);
        rgb[o + 2] = (byte) yuvToB(y, u);
    }

    /** {@code _mm_mulhi_epu16} emulation on 8-bit inputs ({@code MultHi}). */
    private static int multHi(int v, int coeff) { return (v * coeff) >> 8; }

    /** Descales 6 fractional bits and clips ({@code VP8Clip8}). */
    private static int clip8(int v) { return (v & ~16383) == 0 ? v >> 6 : v < 0 ? 0 : 255; }

    static int yuvToR(int y, int v) { return clip8(multHi(y, 19077) + multHi(v, 26149) - 14234); }

    static int yuvToG(int y, int u, int v) { return clip8(multHi(y, 19077) - multHi(u, 6419) - multHi(v, 13320) + 8708); }

    static int yuvToB(int y, int u) { return clip8(multHi(y, 19077) + multHi(u, 33050) - 17685); }
}
