package org.uso4j.pipeline.random;

/**
 * One lane of {@code log256_ps} and {@code sincos256_ps} from PyTorch's {@code aten/src/ATen/native/cpu/avx_mathfun.h}
 * (Cephes float polynomials, after Julien Pommier's sse_mathfun), with the multiply-adds that GCC contracts into
 * FMA instructions when the file is built with {@code -mavx2 -mfma} written as {@link Math#fma}. Every rounding
 * step is that of the vector code, so results are bit-identical to PyTorch's AVX2 {@code randn} kernel.
 */
final class CephesAvx2 {
    private CephesAvx2() {}

    private static final float MIN_NORM_POS = Float.intBitsToFloat(0x00800000);
    private static final float SQRTHF = 0.707106781186547524f;
    private static final float[] LOG_P = {
        7.0376836292E-2f, -1.1514610310E-1f, 1.1676998740E-1f, -1.2420140846E-1f, 1.4249322787E-1f,
        -1.6668057665E-1f, 2.0000714765E-1f, -2.4999993993E-1f, 3.3333331174E-1f};
    private static final float LOG_Q1 = -2.12194440e-4f;
    private static final float LOG_Q2 = 0.693359375f;

    private static final float FOPI = 1.27323954473516f; // 4/pi
    private static final float MINUS_DP1 = -0.78515625f;
    private static final float MINUS_DP2 = -2.4187564849853515625e-4f;
    private static final float MINUS_DP3 = -3.77489497744594108e-8f;
    private static final float SINCOF_P0 = -1.9515295891E-4f;
    private static final float SINCOF_P1 = 8.3321608736E-3f;
    private static final float SINCOF_P2 = -1.6666654611E-1f;
    private static final float COSCOF_P0 = 2.443315711809948E-005f;
    private static final float COSCOF_P1 = -1.388731625493765E-003f;
    private static final float COSCOF_P2 = 4.166664568298827E-002f;

    /** {@code log256_ps}: natural log; NaN for x <= 0. */
    static float log(float x) {
        boolean invalid = x <= 0f;
        x = Math.max(x, MIN_NORM_POS); // cut off denormals
        int bits = Float.floatToRawIntBits(x);
        int exponent = (bits >>> 23) - 0x7f;
        // keep only the fractional part, as a value in [0.5, 1)
        x = Float.intBitsToFloat((bits & ~0x7f800000) | Float.floatToRawIntBits(0.5f));
        float e = (float) exponent + 1f;
        // if (x < SQRTHF) { e -= 1; x = x + x - 1 } else { x = x - 1 }
        boolean small = x < SQRTHF;
        float tmp = small ? x : 0f;
        x = x - 1f;
        e = e - (small ? 1f : 0f);
        x = x + tmp;
        float z = x * x;
        float y = LOG_P[0];
        for (int i = 1; i < LOG_P.length; i++) y = Math.fma(y, x, LOG_P[i]);
        y = y * x;
        y = Math.fma(y, z, e * LOG_Q1);
        y = Math.fma(-z, 0.5f, y);
        x = x + y;
        x = Math.fma(e, LOG_Q2, x);
        return invalid ? Float.NaN : x;
    }

    /** {@code sincos256_ps}: the sine of x. */
    static float sin(float x) { return sincos(x, true); }

    /** {@code sincos256_ps}: the cosine of x. */
    static float cos(float x) { return sincos(x, false); }

    private static float sincos(float x, boolean wantSin) {
        int signSin = Float.floatToRawIntBits(x) & 0x80000000;
        x = Math.abs(x);
        // scale by 4/pi; j = (int(y) + 1) & ~1 (see the Cephes sources)
        int j = (int) (x * FOPI);
        j = (j + 1) & ~1;
        float y = (float) j;
        int swapSignSin = (j & 4) << 29;
        boolean sinPoly = (j & 2) == 0; // polynomial selection mask for the sine
        // extended precision modular arithmetic: x = ((x - y*DP1) - y*DP2) - y*DP3
        x = Math.fma(y, MINUS_DP1, x);
        x = Math.fma(y, MINUS_DP2, x);
        x = Math.fma(y, MINUS_DP3, x);
        int signCos = (~(j - 2) & 4) << 29;
        signSin ^= swapSignSin;

        float z = x * x;
        // first polynomial (cosine on [0, pi/4])
        float yc = Math.fma(COSCOF_P0, z, COSCOF_P1);
        yc = Math.fma(yc, z, COSCOF_P2);
        float half = z * 0.5f;
        yc = yc * z;
        yc = Math.fma(yc, z, -half);
        yc = yc + 1f;
        // second polynomial (sine on [0, pi/4])
        float ys = Math.fma(SINCOF_P0, z, SINCOF_P1);
        ys = Math.fma(ys, z, SINCOF_P2);
        ys = ys * z;
        ys = Math.fma(ys, x, x);
        // select with masks: the unselected lane is +0, so each result is (selected + 0)
        if (wantSin) {
            float s = sinPoly ? 0f + ys : yc + 0f;
            return Float.intBitsToFloat(Float.floatToRawIntBits(s) ^ signSin);
        }
        float c = sinPoly ? yc + 0f : 0f + ys;
        return Float.intBitsToFloat(Float.floatToRawIntBits(c) ^ signCos);
    }
}
