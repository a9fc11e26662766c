package org.uso4j.pipeline.image.webp;

import static org.uso4j.pipeline.image.webp.Vp8Predictors.BPS;

import java.util.Arrays;

/**
 * Decodes a VP8 key frame to YUV 4:2:0 planes the way libwebp does ({@code src/dec/vp8_dec.c} {@code ParseFrame},
 * {@code src/dec/tree_dec.c} {@code ParseIntraMode}, {@code src/dec/frame_dec.c} {@code ReconstructRow}): per
 * macroblock row, the intra modes from the first partition, then per macroblock the residuals from its token
 * partition, prediction from the unfiltered neighbours (127 above the picture, 129 left of it) plus the inverse
 * transforms; the loop filter runs over the whole frame afterwards (intra prediction never sees filtered pixels,
 * so this equals libwebp's row-delayed filtering).
 */
final class Vp8Decoder {
    /** Decoded planes, macroblock-padded: luma {@code mbW*16} wide, chroma {@code mbW*8}. */
    record Picture(int width, int height, byte[] y, int yStride, byte[] u, byte[] v, int uvStride) {}

    private static final int Y0 = BPS + 8, UV0 = BPS + 8; // work-buffer origins: room for the top row and left column

    private final Vp8FrameHeader h;
    private final int ys, uvs;
    private final byte[] yPlane, uPlane, vPlane;
    private final int[] yb = new int[BPS * 17], ub = new int[BPS * 9], vb = new int[BPS * 9];

    // intra modes of the current macroblock row
    private final int[] intraTop, intraLeft = new int[4];
    private final int[] segment, uvMode;
    private final boolean[] skip, is4x4;
    private final int[][] modes;

    private Vp8Decoder(Vp8FrameHeader h) {
        h.requirePlausibleSize();
        this.h = h;
        ys = h.mbW * 16;
        uvs = h.mbW * 8;
        yPlane = new byte[Math.multiplyExact(ys, h.mbH * 16)];
        uPlane = new byte[Math.multiplyExact(uvs, h.mbH * 8)];
        vPlane = new byte[uPlane.length];
        intraTop = new int[4 * h.mbW]; // B_DC_PRED
        segment = new int[h.mbW];
        uvMode = new int[h.mbW];
        skip = new boolean[h.mbW];
        is4x4 = new boolean[h.mbW];
        modes = new int[h.mbW][16];
    }

    /** Decodes the frame whose headers are {@code h}. */
    static Picture decode(Vp8FrameHeader h) {
        Vp8Decoder d = new Vp8Decoder(h);
        d.run();
        return new Picture(h.width, h.height, d.yPlane, d.ys, d.uPlane, d.vPlane, d.uvs);
    }

    private void run() {
        Vp8Residuals residuals = new Vp8Residuals(h.coeffProba, h.mbW);
        Vp8LoopFilter filter = new Vp8LoopFilter(h);
        Vp8LoopFilter.Strength[] strengths = filter.enabled() ? new Vp8LoopFilter.Strength[h.mbW * h.mbH] : null;
        for (int mbY = 0; mbY < h.mbH; mbY++) {
            Arrays.fill(intraLeft, Vp8Predictors.DC);
            for (int mbX = 0; mbX < h.mbW; mbX++) parseIntraMode(mbX);
            if (h.modes.eof()) throw new WebpFormatException("VP8 first partition ends prematurely (macroblock row " + mbY + ")");
            Vp8BoolDecoder tokens = h.tokens[mbY & (h.tokens.length - 1)];
            residuals.startRow();
            for (int mbX = 0; mbX < h.mbW; mbX++) {
                int s = segment[mbX];
                boolean hasCoeffs;
                if (h.useSkipProba && skip[mbX]) {
                    residuals.skip(mbX, is4x4[mbX]);
                    hasCoeffs = false;
                } else {
                    hasCoeffs = residuals.parse(tokens, mbX, is4x4[mbX], h.y1[s], h.y2[s], h.uv[s]);
                }
                if (tokens.eof()) throw new WebpFormatException("VP8 token partition ends prematurely (macroblock " + mbX + ", " + mbY + ")");
                if (strengths != null) strengths[mbY * h.mbW + mbX] = filter.strength(s, is4x4[mbX], hasCoeffs);
                reconstruct(mbX, mbY, residuals);
            }
        }
        if (strengths != null) {
            for (int mbY = 0; mbY < h.mbH; mbY++) {
                for (int mbX = 0; mbX < h.mbW; mbX++) {
                    filter.filter(strengths[mbY * h.mbW + mbX], mbX, mbY, yPlane, ys, uPlane, vPlane, uvs);
                }
            }
        }
    }

    /** Segment, skip flag and intra modes of macroblock {@code mbX} (libwebp {@code ParseIntraMode}). */
    private void parseIntraMode(int mbX) {
        Vp8BoolDecoder br = h.modes;
        if (h.updateMap) {
            segment[mbX] = br.getBit(h.segmentProba[0]) == 0 ? br.getBit(h.segmentProba[1])
                    : br.getBit(h.segmentProba[2]) + 2;
        } else {
            segment[mbX] = 0;
        }
        skip[mbX] = h.useSkipProba && br.getBit(h.skipProba) != 0;
        is4x4[mbX] = br.getBit(145) == 0;
        int[] m = modes[mbX];
        int top = 4 * mbX;
        if (!is4x4[mbX]) {
            int ymode = br.getBit(156) != 0 ? (br.getBit(128) != 0 ? Vp8Predictors.TM : Vp8Predictors.HE)
                    : (br.getBit(163) != 0 ? Vp8Predictors.VE : Vp8Predictors.DC);
            m[0] = ymode;
            Arrays.fill(intraTop, top, top + 4, ymode);
            Arrays.fill(intraLeft, ymode);
        } else {
            for (int y = 0; y < 4; y++) {
                int ymode = intraLeft[y];
                for (int x = 0; x < 4; x++) {
                    ymode = subblockMode(br, (intraTop[top + x] * 10 + ymode) * 9);
                    intraTop[top + x] = ymode;
                    m[4 * y + x] = ymode;
                }
                intraLeft[y] = ymode;
            }
        }
        uvMode[mbX] = br.getBit(142) == 0 ? Vp8Predictors.DC : br.getBit(114) == 0 ? Vp8Predictors.VE
                : br.getBit(183) != 0 ? Vp8Predictors.TM : Vp8Predictors.HE;
    }

    /** The 4x4 mode tree (RFC 6386 section 11.2) with the probabilities at {@code BMODES_PROBA[p..p+9)}. */
    private static int subblockMode(Vp8BoolDecoder br, int p) {
        int[] pr = Vp8Tables.BMODES_PROBA;
        if (br.getBit(pr[p]) == 0) return Vp8Predictors.DC;
        if (br.getBit(pr[p + 1]) == 0) return Vp8Predictors.TM;
        if (br.getBit(pr[p + 2]) == 0) return Vp8Predictors.VE;
        if (br.getBit(pr[p + 3]) == 0) {
            if (br.getBit(pr[p + 4]) == 0) return Vp8Predictors.HE;
            return br.getBit(pr[p + 5]) == 0 ? Vp8Predictors.RD : Vp8Predictors.VR;
        }
        if (br.getBit(pr[p + 6]) == 0) return Vp8Predictors.LD;
        if (br.getBit(pr[p + 7]) == 0) return Vp8Predictors.VL;
        return br.getBit(pr[p + 8]) == 0 ? Vp8Predictors.HD : Vp8Predictors.HU;
    }

    /** Prediction plus residual of macroblock (mbX, mbY) into the planes. */
    private void reconstruct(int mbX, int mbY, Vp8Residuals r) {
        loadEdges(yb, Y0, 16, yPlane, ys, mbX, mbY);
        loadEdges(ub, UV0, 8, uPlane, uvs, mbX, mbY);
        loadEdges(vb, UV0, 8, vPlane, uvs, mbX, mbY);
        boolean hasTop = mbY > 0, hasLeft = mbX > 0;
        if (is4x4[mbX]) {
            // top-right samples of the macroblock, also used by the right column of 4x4 blocks further down
            int tr = Y0 - BPS + 16;
            if (mbY > 0) {
                int above = (mbY * 16 - 1) * ys + mbX * 16;
                for (int i = 0; i < 4; i++) {
                    yb[tr + i] = mbX == h.mbW - 1 ? yPlane[above + 15] & 0xFF : yPlane[above + 16 + i] & 0xFF;
                }
            }
            for (int row = 4; row < 16; row += 4) System.arraycopy(yb, tr, yb, tr + row * BPS, 4);
            for (int n = 0; n < 16; n++) {
                int dst = Y0 + (n >> 2) * 4 * BPS + (n & 3) * 4;
                Vp8Predictors.predict4(yb, dst, modes[mbX][n]);
                if (r.codes[n] != 0) Vp8Transforms.inverseDctAdd(r.coeffs, 16 * n, yb, dst);
            }
        } else {
            Vp8Predictors.predictBlock(yb, Y0, 16, modes[mbX][0], hasTop, hasLeft);
            for (int n = 0; n < 16; n++) {
                if (r.codes[n] != 0) Vp8Transforms.inverseDctAdd(r.coeffs, 16 * n, yb, Y0 + (n >> 2) * 4 * BPS + (n & 3) * 4);
            }
        }
        Vp8Predictors.predictBlock(ub, UV0, 8, uvMode[mbX], hasTop, hasLeft);
        Vp8Predictors.predictBlock(vb, UV0, 8, uvMode[mbX], hasTop, hasLeft);
        for (int n = 0; n < 4; n++) {
            int dst = UV0 + (n >> 1) * 4 * BPS + (n & 1) * 4;
            if (r.codes[16 + n] != 0) Vp8Transforms.inverseDctAdd(r.coeffs, 16 * (16 + n), ub, dst);
            if (r.codes[20 + n] != 0) Vp8Transforms.inverseDctAdd(r.coeffs, 16 * (20 + n), vb, dst);
        }
        store(yb, Y0, 16, yPlane, ys, mbX, mbY);
        store(ub, UV0, 8, uPlane, uvs, mbX, mbY);
        store(vb, UV0, 8, vPlane, uvs, mbX, mbY);
    }

    /**
     * Top row (with the top-left corner; for luma also 4 top-right samples, 127 on the first row) and left column
     * of a {@code size} block from the unfiltered plane, or libwebp's constants outside the picture: 127 above
     * (corner included on the first row), 129 on the left (corner included below the first row).
     */
    private static void loadEdges(int[] b, int o, int size, byte[] plane, int stride, int mbX, int mbY) {
        int x0 = mbX * size, y0 = mbY * size;
        if (mbY == 0) {
            Arrays.fill(b, o - BPS - 1, o - BPS + size + (size == 16 ? 4 : 0), 127);
        } else {
            int above = (y0 - 1) * stride + x0;
            b[o - BPS - 1] = mbX == 0 ? 129 : plane[above - 1] & 0xFF;
            for (int i = 0; i < size; i++) b[o - BPS + i] = plane[above + i] & 0xFF;
        }
        for (int j = 0; j < size; j++) b[o + j * BPS - 1] = mbX == 0 ? 129 : plane[(y0 + j) * stride + x0 - 1] & 0xFF;
    }

    private static void store(int[] b, int o, int size, byte[] plane, int stride, int mbX, int mbY) {
        for (int j = 0; j < size; j++) {
            int row = (mbY * size + j) * stride + mbX * size;
            for (int i = 0; i < size; i++) plane[row + i] = (byte) b[o + j * BPS + i];
        }
    }
}
