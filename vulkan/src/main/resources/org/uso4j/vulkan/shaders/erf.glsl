// 1 + erf(z) in float, ported from core's backend/Erf.java (W. J. Cody's rational approximations). For z < -0.5 it
// returns erfc(|z|) itself instead of 1 + (erfc - 1), so x·(1 + erf) keeps its relative accuracy in the left tail.
// exp(-z²) is split as exp(-y²)·exp(-(|z|-y)(|z|+y)), y = |z| rounded down to 1/16 (Cody's trick: y² is exact).
float onePlusErf(float z) {
    float az = abs(z);
    if (az < 0.5) {
        float t = z * z;
        float num = (((0.185777706184603153 * t + 3.16112374387056560) * t + 113.864154151050156) * t + 377.485237685302021) * t + 3209.37758913846947;
        float den = (((t + 23.6012909523441209) * t + 244.024637934444173) * t + 1282.61652607737228) * t + 2844.23683343917062;
        return 1.0 + z * num / den;
    }
    if (az >= 10.0) return z < 0.0 ? 0.0 : 2.0;      // erfc(10) < 2e-45: below float (also keeps ±Inf out of exp)
    float y = floor(az * 16.0) / 16.0;
    float e = exp(-y * y) * exp(-(az - y) * (az + y));
    float r;
    if (az < 4.0) {
        float num = ((((((((2.15311535474403846e-8 * az + 5.64188496988670089e-1) * az + 8.88314979438837594) * az + 66.1191906371416295) * az
                + 298.635138197400131) * az + 881.952221241769090) * az + 1712.04761263407058) * az + 2051.07837782607147) * az + 1230.33935479799725);
        float den = (((((((az + 15.7449261107098347) * az + 117.693950891312499) * az + 537.181101862009858) * az
                + 1621.38957456669019) * az + 3290.79923573345963) * az + 4362.61909014324716) * az + 3439.36767414372164) * az
                + 1230.33935480374942;
        r = e * num / den;
    } else {
        float q = 1.0 / (az * az);
        float num = ((((1.63153871373020978e-2 * q + 3.05326634961232344e-1) * q + 3.60344899949804439e-1) * q
                + 1.25781726111229246e-1) * q + 1.60837851487422766e-2) * q + 6.58749161529837803e-4;
        float den = ((((q + 2.56852019228982242) * q + 1.87295284992346725) * q + 5.27905102951428412e-1) * q
                + 6.05183413124413191e-2) * q + 2.33520497626869185e-3;
        r = e / az * (0.564189583547756287 - q * num / den);
    }
    return z < 0.0 ? r : 2.0 - r;
}
