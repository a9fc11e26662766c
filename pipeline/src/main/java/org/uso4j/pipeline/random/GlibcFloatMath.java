package org.uso4j.pipeline.random;

/**
 * glibc's single-precision {@code logf}, {@code sinf} and {@code cosf} (sysdeps/ieee754/flt-32: e_logf.c,
 * s_sinf.c, s_cosf.c, sincosf_poly.h; the algorithms of ARM's optimized-routines, in use since glibc 2.28),
 * as x86-64 runs them: the multiarch {@code -fma} builds, where GCC contracts each {@code a*b + c} into one FMA
 * (written here as {@link Math#fma}). These functions are not correctly rounded (logf: 0.82 ULP), so
 * computing in double and rounding is not a substitute. Arguments this engine passes are finite, so only the
 * fast paths are ported: {@code sinf}/{@code cosf} need |x| < 120 (the large-argument reduction is refused).
 */
final class GlibcFloatMath {
    private GlibcFloatMath() {}

    // e_logf_data.c: 16 subintervals of [OFF, 2*OFF]: 1/c and log(c) for a c near each centre.
    private static final double[] LOGF_INVC = {
        0x1.661ec79f8f3bep+0, 0x1.571ed4aaf883dp+0, 0x1.49539f0f010bp+0, 0x1.3c995b0b80385p+0,
        0x1.30d190c8864a5p+0, 0x1.25e227b0b8eap+0, 0x1.1bb4a4a1a343fp+0, 0x1.12358f08ae5bap+0,
        0x1.0953f419900a7p+0, 0x1p+0, 0x1.e608cfd9a47acp-1, 0x1.ca4b31f026aap-1,
        0x1.b2036576afce6p-1, 0x1.9c2d163a1aa2dp-1, 0x1.886e6037841edp-1, 0x1.767dcf5534862p-1};
    private static final double[] LOGF_LOGC = {
        -0x1.57bf7808caadep-2, -0x1.2bef0a7c06ddbp-2, -0x1.01eae7f513a67p-2, -0x1.b31d8a68224e9p-3,
        -0x1.6574f0ac07758p-3, -0x1.1aa2bc79c81p-3, -0x1.a4e76ce8c0e5ep-4, -0x1.1973c5a611cccp-4,
        -0x1.252f438e10c1ep-5, 0x0p+0, 0x1.aa5aa5df25984p-5, 0x1.c5e53aa362eb4p-4,
        0x1.526e57720db08p-3, 0x1.bc2860d22477p-3, 0x1.1058bc8a07ee1p-2, 0x1.4043057b6ee09p-2};
    private static final double LN2 = 0x1.62e42fefa39efp-1;
    private static final double LOGF_A0 = -0x1.00ea348b88334p-2;
    private static final double LOGF_A1 = 0x1.5575b0be00b6ap-2;
    private static final double LOGF_A2 = -0x1.ffffef20a4123p-2;
    private static final int LOGF_OFF = 0x3f330000;

    /** glibc {@code logf}. */
    static float logf(float x) {
        int ix = Float.floatToRawIntBits(x);
        if (ix == 0x3f800000) return 0f;
        if (Integer.compareUnsigned(ix - 0x00800000, 0x7f800000 - 0x00800000) >= 0) {
            // x < 0x1p-126 or inf or nan
            if (ix * 2 == 0) return Float.NEGATIVE_INFINITY;
            if (ix == 0x7f800000) return x;
            if ((ix & 0x80000000) != 0 || Integer.compareUnsigned(ix * 2, 0xff000000) >= 0) return Float.NaN;
            // subnormal: normalize
            ix = Float.floatToRawIntBits(x * 0x1p23f) - (23 << 23);
        }
        // x = 2^k z, z in [OFF, 2*OFF] exactly; i selects the subinterval
        int tmp = ix - LOGF_OFF;
        int i = (tmp >>> (23 - 4)) & 15;
        int k = tmp >> 23;
        int iz = ix - (tmp & (0x1ff << 23));
        double invc = LOGF_INVC[i];
        double logc = LOGF_LOGC[i];
        double z = Float.intBitsToFloat(iz);
        // log(x) = log1p(z/c - 1) + log(c) + k*Ln2
        double r = Math.fma(z, invc, -1.0);
        double y0 = Math.fma(k, LN2, logc);
        double r2 = r * r;
        double y = Math.fma(LOGF_A1, r, LOGF_A2);
        y = Math.fma(LOGF_A0, r2, y);
        y = Math.fma(y, r2, y0 + r);
        return (float) y;
    }

    // s_sincosf_data.c (!TOINT_INTRINSICS): the cosine polynomial of the 2nd table is negated.
    private static final double HPI_INV = 0x1.45F306DC9C883p+23; // 2/pi * 2^24
    private static final double HPI = 0x1.921FB54442D18p0;
    private static final double[] C0 = {0x1p0, -0x1p0};
    private static final double[] C1 = {-0x1.ffffffd0c621cp-2, 0x1.ffffffd0c621cp-2};
    private static final double[] C2 = {0x1.55553e1068f19p-5, -0x1.55553e1068f19p-5};
    private static final double[] C3 = {-0x1.6c087e89a359dp-10, 0x1.6c087e89a359dp-10};
    private static final double[] C4 = {0x1.99343027bf8c3p-16, -0x1.99343027bf8c3p-16};
    private static final double S1 = -0x1.555545995a603p-3;
    private static final double S2 = 0x1.1107605230bc4p-7;
    private static final double S3 = -0x1.994eb3774cf24p-13;
    private static final double[] SIGN = {1.0, -1.0, -1.0, 1.0};
    private static final int ABSTOP12_PIO4 = abstop12((float) 0x1.921FB54442D18p-1);
    private static final int ABSTOP12_TINY = abstop12(0x1p-12f);
    private static final int ABSTOP12_120 = abstop12(120f);

    private static int abstop12(float x) { return (Float.floatToRawIntBits(x) >>> 20) & 0x7ff; }

    /** glibc {@code sinf} for |y| < 120. */
    static float sinf(float y) {
        double x = y;
        int top = abstop12(y);
        if (top < ABSTOP12_PIO4) {
            if (top < ABSTOP12_TINY) return y;
            return sinfPoly(x, x * x, 0, 0);
        }
        requireFast(y, top);
        int n = reduceQuadrant(x);
        double r = Math.fma(-n, HPI, x); // x - n*hpi, contracted
        return sinfPoly(r * SIGN[n & 3], r * r, (n & 2) != 0 ? 1 : 0, n);
    }

    /** glibc {@code cosf} for |y| < 120. */
    static float cosf(float y) {
        double x = y;
        int top = abstop12(y);
        if (top < ABSTOP12_PIO4) {
            if (top < ABSTOP12_TINY) return 1f;
            return sinfPoly(x, x * x, 0, 1);
        }
        requireFast(y, top);
        int n = reduceQuadrant(x);
        double r = Math.fma(-n, HPI, x);
        return sinfPoly(r * SIGN[n & 3], r * r, (n & 2) != 0 ? 1 : 0, n ^ 1);
    }

    private static void requireFast(float y, int top) {
        if (top >= ABSTOP12_120) throw new IllegalArgumentException("sinf/cosf port covers |x| < 120, got " + y);
    }

    /** reduce_fast: the quadrant n, with 2/pi prescaled by 2^24 so it ends up in bits 24..31. */
    private static int reduceQuadrant(double x) {
        double r = x * HPI_INV;
        return ((int) r + 0x800000) >> 24;
    }

    /** sinf_poly: sine polynomial for even n, cosine for odd n; {@code table} 1 negates the cosine. */
    private static float sinfPoly(double x, double x2, int table, int n) {
        if ((n & 1) == 0) {
            double x3 = x * x2;
            double s1 = Math.fma(x2, S3, S2);
            double x7 = x3 * x2;
            double s = Math.fma(x3, S1, x);
            return (float) Math.fma(x7, s1, s);
        }
        double x4 = x2 * x2;
        double c2 = Math.fma(x2, C4[table], C3[table]);
        double c1 = Math.fma(x2, C1[table], C0[table]);
        double x6 = x4 * x2;
        double c = Math.fma(x4, C2[table], c1);
        return (float) Math.fma(x6, c2, c);
    }
}
