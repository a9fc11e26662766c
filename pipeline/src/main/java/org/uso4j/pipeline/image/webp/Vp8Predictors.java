package org.uso4j.pipeline.image.webp;

/**
 * VP8 intra predictors (RFC 6386 section 12; libwebp {@code src/dsp/dec.c}) writing into a work buffer of row
 * stride {@link #BPS}: the block starts at {@code dst}, its top row is at {@code dst - BPS} (with the top-left
 * sample at {@code dst - BPS - 1} and, for 4x4 blocks, four top-right samples after the top row) and its left
 * column at {@code dst - 1 + j * BPS}.
 *
 * <p>Mode numbers follow libwebp: 4x4 modes {@code DC, TM, VE, HE, RD, VR, LD, VL, HD, HU} = 0..9; the 16x16 and
 * chroma modes DC, TM, V, H share the numbers 0..3.
 */
final class Vp8Predictors {
    private Vp8Predictors() {}

    static final int BPS = 32;
    static final int DC = 0, TM = 1, VE = 2, HE = 3, RD = 4, VR = 5, LD = 6, VL = 7, HD = 8, HU = 9;

    private static int avg3(int a, int b, int c) { return (a + 2 * b + c + 2) >> 2; }

    private static int avg2(int a, int b) { return (a + b + 1) >> 1; }

    private static void fill(int[] b, int dst, int size, int v) {
        for (int y = 0; y < size; y++) java.util.Arrays.fill(b, dst + y * BPS, dst + y * BPS + size, v);
    }

    /** 16x16 luma or 8x8 chroma prediction; DC uses only the edges that exist ({@code hasTop}, {@code hasLeft}). */
    static void predictBlock(int[] b, int dst, int size, int mode, boolean hasTop, boolean hasLeft) {
        switch (mode) {
            case DC -> {
                int shift = size == 16 ? 4 : 3;
                int sum = 0;
                if (hasTop) for (int i = 0; i < size; i++) sum += b[dst - BPS + i];
                if (hasLeft) for (int j = 0; j < size; j++) sum += b[dst - 1 + j * BPS];
                int dc;
                if (hasTop && hasLeft) dc = (sum + size) >> (shift + 1);
                else if (hasTop || hasLeft) dc = (sum + (size >> 1)) >> shift;
                else dc = 0x80;
                fill(b, dst, size, dc);
            }
            case TM -> trueMotion(b, dst, size);
            case VE -> {
                for (int y = 0; y < size; y++) System.arraycopy(b, dst - BPS, b, dst + y * BPS, size);
            }
            case HE -> {
                for (int y = 0; y < size; y++) {
                    int row = dst + y * BPS;
                    java.util.Arrays.fill(b, row, row + size, b[row - 1]);
                }
            }
            default -> throw new IllegalArgumentException("intra mode " + mode);
        }
    }

    /** TM: {@code clip(top[x] + left[y] - topLeft)}. */
    private static void trueMotion(int[] b, int dst, int size) {
        int topLeft = b[dst - BPS - 1];
        for (int y = 0; y < size; y++) {
            int row = dst + y * BPS;
            int d = b[row - 1] - topLeft;
            for (int x = 0; x < size; x++) b[row + x] = clip8(b[dst - BPS + x] + d);
        }
    }

    private static int clip8(int v) { return v < 0 ? 0 : Math.min(v, 255); }

    /** 4x4 luma prediction for one subblock. */
    static void predict4(int[] b, int dst, int mode) {
        int top = dst - BPS;
        switch (mode) {
            case DC -> {
                int dc = 4;
                for (int i = 0; i < 4; i++) dc += b[top + i] + b[dst - 1 + i * BPS];
                fill(b, dst, 4, dc >> 3);
            }
            case TM -> trueMotion(b, dst, 4);
            case VE -> {
                for (int x = 0; x < 4; x++) {
                    int v = avg3(b[top + x - 1], b[top + x], b[top + x + 1]);
                    for (int y = 0; y < 4; y++) b[dst + y * BPS + x] = v;
                }
            }
            case HE -> {
                int a = b[top - 1], l0 = b[dst - 1], l1 = b[dst - 1 + BPS], l2 = b[dst - 1 + 2 * BPS], l3 = b[dst - 1 + 3 * BPS];
                fillRow(b, dst, avg3(a, l0, l1));
                fillRow(b, dst + BPS, avg3(l0, l1, l2));
                fillRow(b, dst + 2 * BPS, avg3(l1, l2, l3));
                fillRow(b, dst + 3 * BPS, avg3(l2, l3, l3));
            }
            case RD, VR, HD -> diagonalDown(b, dst, mode);
            case LD, VL -> diagonalLeft(b, dst, mode);
            case HU -> horizontalUp(b, dst);
            default -> throw new IllegalArgumentException("intra 4x4 mode " + mode);
        }
    }

    private static void fillRow(int[] b, int row, int v) { java.util.Arrays.fill(b, row, row + 4, v); }

    private static void put(int[] b, int dst, int x, int y, int v) { b[dst + x + y * BPS] = v; }

    /** RD, VR and HD: from the left column, the top-left corner and the top row. */
    private static void diagonalDown(int[] b, int dst, int mode) {
        int i = b[dst - 1], j = b[dst - 1 + BPS], k = b[dst - 1 + 2 * BPS], l = b[dst - 1 + 3 * BPS];
        int x = b[dst - 1 - BPS], a = b[dst - BPS], bb = b[dst + 1 - BPS], c = b[dst + 2 - BPS], d = b[dst + 3 - BPS];
        if (mode == RD) {
            // edge e[0..8] = L K J I X A B C D; pixel (x, y) = avg3 around e[3 - y + x + 1]
            int[] e = {l, k, j, i, x, a, bb, c, d};
            for (int yy = 0; yy < 4; yy++) {
                for (int xx = 0; xx < 4; xx++) {
                    int n = 3 - yy + xx + 1;
                    put(b, dst, xx, yy, avg3(e[n - 1], e[n], e[n + 1]));
                }
            }
        } else if (mode == VR) {
            put(b, dst, 0, 0, avg2(x, a)); put(b, dst, 1, 2, avg2(x, a));
            put(b, dst, 1, 0, avg2(a, bb)); put(b, dst, 2, 2, avg2(a, bb));
            put(b, dst, 2, 0, avg2(bb, c)); put(b, dst, 3, 2, avg2(bb, c));
            put(b, dst, 3, 0, avg2(c, d));
            put(b, dst, 0, 3, avg3(k, j, i));
            put(b, dst, 0, 2, avg3(j, i, x));
            put(b, dst, 0, 1, avg3(i, x, a)); put(b, dst, 1, 3, avg3(i, x, a));
            put(b, dst, 1, 1, avg3(x, a, bb)); put(b, dst, 2, 3, avg3(x, a, bb));
            put(b, dst, 2, 1, avg3(a, bb, c)); put(b, dst, 3, 3, avg3(a, bb, c));
            put(b, dst, 3, 1, avg3(bb, c, d));
        } else { // HD
            put(b, dst, 0, 0, avg2(i, x)); put(b, dst, 2, 1, avg2(i, x));
            put(b, dst, 0, 1, avg2(j, i)); put(b, dst, 2, 2, avg2(j, i));
            put(b, dst, 0, 2, avg2(k, j)); put(b, dst, 2, 3, avg2(k, j));
            put(b, dst, 0, 3, avg2(l, k));
            put(b, dst, 3, 0, avg3(a, bb, c));
            put(b, dst, 2, 0, avg3(x, a, bb));
            put(b, dst, 1, 0, avg3(i, x, a)); put(b, dst, 3, 1, avg3(i, x, a));
            put(b, dst, 1, 1, avg3(j, i, x)); put(b, dst, 3, 2, avg3(j, i, x));
            put(b, dst, 1, 2, avg3(k, j, i)); put(b, dst, 3, 3, avg3(k, j, i));
            put(b, dst, 1, 3, avg3(l, k, j));
        }
    }

    /** LD and VL: from the top row and the four top-right samples. */
    private static void diagonalLeft(int[] b, int dst, int mode) {
        int[] t = new int[8];
        for (int n = 0; n < 8; n++) t[n] = b[dst - BPS + n];
        if (mode == LD) {
            for (int yy = 0; yy < 4; yy++) {
                for (int xx = 0; xx < 4; xx++) {
                    int n = xx + yy;
                    put(b, dst, xx, yy, n == 6 ? avg3(t[6], t[7], t[7]) : avg3(t[n], t[n + 1], t[n + 2]));
                }
            }
        } else { // VL
            put(b, dst, 0, 0, avg2(t[0], t[1]));
            put(b, dst, 1, 0, avg2(t[1], t[2])); put(b, dst, 0, 2, avg2(t[1], t[2]));
            put(b, dst, 2, 0, avg2(t[2], t[3])); put(b, dst, 1, 2, avg2(t[2], t[3]));
            put(b, dst, 3, 0, avg2(t[3], t[4])); put(b, dst, 2, 2, avg2(t[3], t[4]));
            put(b, dst, 0, 1, avg3(t[0], t[1], t[2]));
            put(b, dst, 1, 1, avg3(t[1], t[2], t[3])); put(b, dst, 0, 3, avg3(t[1], t[2], t[3]));
            put(b, dst, 2, 1, avg3(t[2], t[3], t[4])); put(b, dst, 1, 3, avg3(t[2], t[3], t[4]));
            put(b, dst, 3, 1, avg3(t[3], t[4], t[5])); put(b, dst, 2, 3, avg3(t[3], t[4], t[5]));
            put(b, dst, 3, 2, avg3(t[4], t[5], t[6]));
            put(b, dst, 3, 3, avg3(t[5], t[6], t[7]));
        }
    }

    /** HU: from the left column only. */
    private static void horizontalUp(int[] b, int dst) {
        int i = b[dst - 1], j = b[dst - 1 + BPS], k = b[dst - 1 + 2 * BPS], l = b[dst - 1 + 3 * BPS];
        put(b, dst, 0, 0, avg2(i, j));
        put(b, dst, 2, 0, avg2(j, k)); put(b, dst, 0, 1, avg2(j, k));
        put(b, dst, 2, 1, avg2(k, l)); put(b, dst, 0, 2, avg2(k, l));
        put(b, dst, 1, 0, avg3(i, j, k));
        put(b, dst, 3, 0, avg3(j, k, l)); put(b, dst, 1, 1, avg3(j, k, l));
        put(b, dst, 3, 1, avg3(k, l, l)); put(b, dst, 1, 2, avg3(k, l, l));
        put(b, dst, 3, 2, l); put(b, dst, 2, 2, l);
        put(b, dst, 0, 3, l); put(b, dst, 1, 3, l); put(b, dst, 2, 3, l); put(b, dst, 3, 3, l);
    }
}
