package org.uso4j.pipeline.image.webp;

/**
 * The VP8 in-loop deblocking filter (RFC 6386 section 15) as libwebp applies it ({@code src/dec/frame_dec.c}
 * {@code DoFilter}, {@code PrecomputeFilterStrengths}; {@code src/dsp/dec.c} filters): macroblocks in raster order,
 * each filtering its left edge, inner vertical edges, top edge and inner horizontal edges, on the reconstructed
 * (unfiltered-predicted) planes. Simple filter: luma only; normal filter: luma and chroma with high-edge-variance
 * detection.
 */
final class Vp8LoopFilter {
    /** Strength of one macroblock: {@code limit == 0} means no filtering. */
    record Strength(int limit, int innerLevel, int hevThreshold, boolean inner) {}

    private final int type; // 1 simple, 2 normal
    private final Strength[][] strengths; // [segment][is4x4]

    Vp8LoopFilter(Vp8FrameHeader h) {
        type = h.filterType();
        strengths = new Strength[Vp8FrameHeader.NUM_SEGMENTS][2];
        for (int s = 0; s < Vp8FrameHeader.NUM_SEGMENTS; s++) {
            int base = h.useSegment ? h.segmentFilterLevel[s] + (h.absoluteDelta ? 0 : h.filterLevel) : h.filterLevel;
            for (int i4x4 = 0; i4x4 <= 1; i4x4++) {
                int level = base;
                if (h.useLfDelta) {
                    level += h.refLfDelta[0]; // intra frame
                    if (i4x4 == 1) level += h.modeLfDelta[0]; // B_PRED
                }
                level = Math.clamp(level, 0, 63);
                if (level > 0) {
                    int ilevel = level;
                    if (h.sharpness > 0) {
                        ilevel >>= h.sharpness > 4 ? 2 : 1;
                        ilevel = Math.min(ilevel, 9 - h.sharpness);
                    }
                    ilevel = Math.max(ilevel, 1);
                    int hev = level >= 40 ? 2 : level >= 15 ? 1 : 0;
                    strengths[s][i4x4] = new Strength(2 * level + ilevel, ilevel, hev, i4x4 == 1);
                } else {
                    strengths[s][i4x4] = new Strength(0, 0, 0, i4x4 == 1);
                }
            }
        }
    }

    boolean enabled() { return type > 0; }

    /** The strength of a macroblock of {@code segment}; {@code hasCoeffs}: not skipped (inner edges filtered too). */
    Strength strength(int segment, boolean is4x4, boolean hasCoeffs) {
        Strength s = strengths[segment][is4x4 ? 1 : 0];
        return hasCoeffs && !s.inner() ? new Strength(s.limit(), s.innerLevel(), s.hevThreshold(), true) : s;
    }

    /** Filters macroblock (mbX, mbY) of the planes (luma stride {@code ys}, chroma stride {@code uvs}). */
    void filter(Strength f, int mbX, int mbY, byte[] y, int ys, byte[] u, byte[] v, int uvs) {
        int limit = f.limit();
        if (limit == 0) return;
        int yp = mbY * 16 * ys + mbX * 16;
        if (type == 1) {
            if (mbX > 0) simple(y, yp, 1, ys, limit + 4);
            if (f.inner()) for (int k = 4; k < 16; k += 4) simple(y, yp + k, 1, ys, limit);
            if (mbY > 0) simple(y, yp, ys, 1, limit + 4);
            if (f.inner()) for (int k = 4; k < 16; k += 4) simple(y, yp + k * ys, ys, 1, limit);
            return;
        }
        int uvp = mbY * 8 * uvs + mbX * 8;
        int il = f.innerLevel(), hev = f.hevThreshold();
        if (mbX > 0) {
            edge(y, yp, 1, ys, 16, limit + 4, il, hev, true);
            edge(u, uvp, 1, uvs, 8, limit + 4, il, hev, true);
            edge(v, uvp, 1, uvs, 8, limit + 4, il, hev, true);
        }
        if (f.inner()) {
            for (int k = 4; k < 16; k += 4) edge(y, yp + k, 1, ys, 16, limit, il, hev, false);
            edge(u, uvp + 4, 1, uvs, 8, limit, il, hev, false);
            edge(v, uvp + 4, 1, uvs, 8, limit, il, hev, false);
        }
        if (mbY > 0) {
            edge(y, yp, ys, 1, 16, limit + 4, il, hev, true);
            edge(u, uvp, uvs, 1, 8, limit + 4, il, hev, true);
            edge(v, uvp, uvs, 1, 8, limit + 4, il, hev, true);
        }
        if (f.inner()) {
            for (int k = 4; k < 16; k += 4) edge(y, yp + k * ys, ys, 1, 16, limit, il, hev, false);
            edge(u, uvp + 4 * uvs, uvs, 1, 8, limit, il, hev, false);
            edge(v, uvp + 4 * uvs, uvs, 1, 8, limit, il, hev, false);
        }
    }

    /** Simple filter across the edge before {@code p}: 16 positions along {@code along}, taps along {@code step}. */
    private static void simple(byte[] px, int p, int step, int along, int thresh) {
        int thresh2 = 2 * thresh + 1;
        for (int i = 0; i < 16; i++, p += along) {
            if (needsFilter(px, p, step, thresh2)) filter2(px, p, step);
        }
    }

    /** Normal filter: macroblock edges use the 6-tap filter, inner edges the 4-tap one, unless high edge variance. */
    private static void edge(byte[] px, int p, int step, int along, int size, int thresh, int ithresh, int hevThresh,
                             boolean mbEdge) {
        int thresh2 = 2 * thresh + 1;
        for (int i = 0; i < size; i++, p += along) {
            if (!needsFilter2(px, p, step, thresh2, ithresh)) continue;
            if (hev(px, p, step, hevThresh)) filter2(px, p, step);
            else if (mbEdge) filter6(px, p, step);
            else filter4(px, p, step);
        }
    }

    private static int at(byte[] px, int i) { return px[i] & 0xFF; }

    /** Clamps to a signed byte ({@code VP8ksclip1}). */
    private static int sclip1(int v) { return Math.clamp(v, -128, 127); }

    /** Clamps {@code [-112, 112]} to {@code [-16, 15]} ({@code VP8ksclip2}). */
    private static int sclip2(int v) { return Math.clamp(v, -16, 15); }

    private static byte clip1(int v) { return (byte) Math.clamp(v, 0, 255); }

    private static boolean needsFilter(byte[] px, int p, int step, int t) {
        int p1 = at(px, p - 2 * step), p0 = at(px, p - step), q0 = at(px, p), q1 = at(px, p + step);
        return 4 * Math.abs(p0 - q0) + Math.abs(p1 - q1) <= t;
    }

    private static boolean needsFilter2(byte[] px, int p, int step, int t, int it) {
        int p3 = at(px, p - 4 * step), p2 = at(px, p - 3 * step), p1 = at(px, p - 2 * step), p0 = at(px, p - step);
        int q0 = at(px, p), q1 = at(px, p + step), q2 = at(px, p + 2 * step), q3 = at(px, p + 3 * step);
        if (4 * Math.abs(p0 - q0) + Math.abs(p1 - q1) > t) return false;
        return Math.abs(p3 - p2) <= it && Math.abs(p2 - p1) <= it && Math.abs(p1 - p0) <= it
                && Math.abs(q3 - q2) <= it && Math.abs(q2 - q1) <= it && Math.abs(q1 - q0) <= it;
    }

    private static boolean hev(byte[] px, int p, int step, int thresh) {
        int p1 = at(px, p - 2 * step), p0 = at(px, p - step), q0 = at(px, p), q1 = at(px, p + step);
        return Math.abs(p1 - p0) > thresh || Math.abs(q1 - q0) > thresh;
    }

    /** 4 pixels in, 2 out ({@code do_filter2}). */
    private static void filter2(byte[] px, int p, int step) {
        int p1 = at(px, p - 2 * step), p0 = at(px, p - step), q0 = at(px, p), q1 = at(px, p + step);
        int a = 3 * (q0 - p0) + sclip1(p1 - q1);
        int a1 = sclip2((a + 4) >> 3);
        int a2 = sclip2((a + 3) >> 3);
        px[p - step] = clip1(p0 + a2);
        px[p] = clip1(q0 - a1);
    }

    /** 4 pixels in, 4 out ({@code do_filter4}). */
    private static void filter4(byte[] px, int p, int step) {
        int p1 = at(px, p - 2 * step), p0 = at(px, p - step), q0 = at(px, p), q1 = at(px, p + step);
        int a = 3 * (q0 - p0);
        int a1 = sclip2((a + 4) >> 3);
        int a2 = sclip2((a + 3) >> 3);
        int a3 = (a1 + 1) >> 1;
        px[p - 2 * step] = clip1(p1 + a3);
        px[p - step] = clip1(p0 + a2);
        px[p] = clip1(q0 - a1);
        px[p + step] = clip1(q1 - a3);
    }

    /** 6 pixels in, 6 out ({@code do_filter6}). */
    private static void filter6(byte[] px, int p, int step) {
        int p2 = at(px, p - 3 * step), p1 = at(px, p - 2 * step), p0 = at(px, p - step);
        int q0 = at(px, p), q1 = at(px, p + step), q2 = at(px, p + 2 * step);
        int a = sclip1(3 * (q0 - p0) + sclip1(p1 - q1));
        int a1 = (27 * a + 63) >> 7;
        int a2 = (18 * a + 63) >> 7;
        int a3 = (9 * a + 63) >> 7;
        px[p - 3 * step] = clip1(p2 + a3);
        px[p - 2 * step] = clip1(p1 + a2);
        px[p - step] = clip1(p0 + a1);
        px[p] = clip1(q0 - a1);
        px[p + step] = clip1(q1 - a2);
        px[p + 2 * step] = clip1(q2 - a3);
    }
}
