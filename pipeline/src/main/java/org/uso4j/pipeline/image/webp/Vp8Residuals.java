package org.uso4j.pipeline.image.webp;

import java.util.Arrays;

/**
 * Residual (DCT token) decoding of one macroblock (RFC 6386 section 13; libwebp {@code ParseResiduals},
 * {@code GetCoeffs}, {@code GetLargeValue}), with the "has non-zero coefficients" contexts carried between
 * neighbouring blocks. Output: 24 dequantized 4x4 coefficient blocks (16 luma, 4 U, 4 V; raster order inside a
 * block) and a per-block code telling whether a block's inverse transform can be skipped.
 */
final class Vp8Residuals {
    private static final int TYPE_I16_AC = 0, TYPE_Y2 = 1, TYPE_CHROMA = 2, TYPE_I4 = 3;
    /** Context slots: 0..3 luma columns/rows, 4..5 U, 6..7 V, 8 the luma DC (Y2) block. */
    private static final int SLOTS = 9, DC_SLOT = 8;

    private final int[] proba;
    private final int[] topNz;          // [mbX * SLOTS + slot]
    private final int[] leftNz = new int[SLOTS];

    /** Dequantized coefficients of the current macroblock: block {@code b} at {@code [16 * b, 16 * b + 16)}. */
    final short[] coeffs = new short[384];
    /** Per block: non-zero when its inverse transform changes pixels. */
    final int[] codes = new int[24];
    private final short[] dc = new short[16];

    Vp8Residuals(int[] coeffProba, int mbW) {
        this.proba = coeffProba;
        this.topNz = new int[mbW * SLOTS];
    }

    /** Resets the left contexts at the start of a macroblock row. */
    void startRow() { Arrays.fill(leftNz, 0); }

    /** A macroblock without coefficients (skip flag): clears the contexts (the DC one only for 16x16 prediction). */
    void skip(int mbX, boolean is4x4) {
        Arrays.fill(coeffs, (short) 0);
        Arrays.fill(codes, 0);
        int t = mbX * SLOTS;
        Arrays.fill(topNz, t, t + DC_SLOT, 0);
        Arrays.fill(leftNz, 0, DC_SLOT, 0);
        if (!is4x4) topNz[t + DC_SLOT] = leftNz[DC_SLOT] = 0;
    }

    /**
     * Parses the coefficients of macroblock {@code mbX} with the factors {@code y1, y2, uv} ({DC, AC}).
     * Returns whether any coefficient is non-zero.
     */
    boolean parse(Vp8BoolDecoder br, int mbX, boolean is4x4, int[] y1, int[] y2, int[] uv) {
        Arrays.fill(coeffs, (short) 0);
        int t = mbX * SLOTS;
        int first;
        int acType;
        if (!is4x4) { // the 16 luma DCs go through the Walsh-Hadamard block
            Arrays.fill(dc, (short) 0);
            int nz = coefficients(br, TYPE_Y2, topNz[t + DC_SLOT] + leftNz[DC_SLOT], y2, 0, dc, 0);
            topNz[t + DC_SLOT] = leftNz[DC_SLOT] = nz > 0 ? 1 : 0;
            Vp8Transforms.inverseWht(dc, coeffs);
            first = 1;
            acType = TYPE_I16_AC;
        } else {
            first = 0;
            acType = TYPE_I4;
        }
        boolean any = false;
        for (int y = 0; y < 4; y++) {
            int l = leftNz[y];
            for (int x = 0; x < 4; x++) {
                int b = y * 4 + x;
                int nz = coefficients(br, acType, l + topNz[t + x], y1, first, coeffs, 16 * b);
                l = nz > first ? 1 : 0;
                topNz[t + x] = l;
                any |= (codes[b] = code(nz, coeffs[16 * b])) != 0;
            }
            leftNz[y] = l;
        }
        for (int ch = 0; ch < 2; ch++) { // U then V
            int slot = 4 + 2 * ch;
            for (int y = 0; y < 2; y++) {
                int l = leftNz[slot + y];
                for (int x = 0; x < 2; x++) {
                    int b = 16 + 4 * ch + 2 * y + x;
                    int nz = coefficients(br, TYPE_CHROMA, l + topNz[t + slot + x], uv, 0, coeffs, 16 * b);
                    l = nz > 0 ? 1 : 0;
                    topNz[t + slot + x] = l;
                    any |= (codes[b] = code(nz, coeffs[16 * b])) != 0;
                }
                leftNz[slot + y] = l;
            }
        }
        return any;
    }

    /** libwebp's {@code NzCodeBits} per block: 3 full, 2 first three coefficients, 1 DC only, 0 nothing. */
    private static int code(int nz, short dc0) { return nz > 3 ? 3 : nz > 1 ? 2 : dc0 != 0 ? 1 : 0; }

    private static int base(int type, int band, int ctx) { return Vp8Tables.probaIndex(type, band, ctx, 0); }

    /**
     * Tokens of one block from position {@code n}: dequantized into {@code out[off + zigzag]}; returns the
     * position after the last decoded token (libwebp's {@code GetCoeffs}: 16 after a run of zeros to the end).
     */
    private int coefficients(Vp8BoolDecoder br, int type, int ctx, int[] dq, int n, short[] out, int off) {
        int[] pr = proba;
        int p = base(type, Vp8Tables.BANDS[n], ctx);
        for (; n < 16; n++) {
            if (br.getBit(pr[p]) == 0) return n; // end of block
            while (br.getBit(pr[p + 1]) == 0) { // zero coefficient
                p = base(type, Vp8Tables.BANDS[++n], 0);
                if (n == 16) return 16;
            }
            int v;
            if (br.getBit(pr[p + 2]) == 0) {
                v = 1;
                p = base(type, Vp8Tables.BANDS[n + 1], 1);
            } else {
                v = largeValue(br, pr, p);
                p = base(type, Vp8Tables.BANDS[n + 1], 2);
            }
            out[off + Vp8Tables.ZIGZAG[n]] = (short) (br.getSigned(v) * dq[n > 0 ? 1 : 0]);
        }
        return 16;
    }

    /** A coefficient magnitude of at least 2 (RFC 6386 section 13.2 token tree and extra bits). */
    private static int largeValue(Vp8BoolDecoder br, int[] pr, int p) {
        if (br.getBit(pr[p + 3]) == 0) {
            if (br.getBit(pr[p + 4]) == 0) return 2;
            return 3 + br.getBit(pr[p + 5]);
        }
        if (br.getBit(pr[p + 6]) == 0) {
            if (br.getBit(pr[p + 7]) == 0) return 5 + br.getBit(159); // DCT_CAT1
            int v = 7 + 2 * br.getBit(165); // DCT_CAT2
            return v + br.getBit(145);
        }
        int bit1 = br.getBit(pr[p + 8]);
        int bit0 = br.getBit(pr[p + 9 + bit1]);
        int cat = 2 * bit1 + bit0; // DCT_CAT3..6
        int v = 0;
        for (int prob : Vp8Tables.CAT3456[cat]) v += v + br.getBit(prob);
        return v + 3 + (8 << cat);
    }
}
