// cos and sin of a double angle, rounded to float, without the device's float trig (Vulkan only promises 2^-11 there):
// Cody-Waite reduction by π/2 in double (fdlibm's 33-bit pio2_1 and its tail: exact to ~1e-20 for |a| < 2^20·π/2),
// then fdlibm's __kernel_sin/__kernel_cos polynomials on [-π/4, π/4] in double (error ~1e-16 before the cast).
// Needs shaderFloat64. Returns (cos a, sin a); NaN for an infinite or NaN angle.
vec2 cosSin(double a) {
    if (isnan(a) || isinf(a)) return vec2(uintBitsToFloat(0x7fc00000u));
    double kq = roundEven(a * 6.36619772367581382433e-01LF);           // a·2/π
    precise double r = (a - kq * 1.57079632673412561417e+00LF) - kq * 6.07710050650619224932e-11LF;
    double z = r * r;
    double sr = r + r * z * (-1.66666666666666324348e-01LF + z * (8.33333333332248946124e-03LF + z * (-1.98412698298579493134e-04LF
            + z * (2.75573137070700676789e-06LF + z * (-2.50507602534068634195e-08LF + z * 1.58969099521155010221e-10LF)))));
    double cr = 1.0LF - 0.5LF * z + z * z * (4.16666666666666019037e-02LF + z * (-1.38888888888741095749e-03LF
            + z * (2.48015872894767294178e-05LF + z * (-2.75573143513906633035e-07LF + z * (2.08757232129817482790e-09LF
            + z * -1.13596475577881948265e-11LF)))));
    int quadrant = int(kq) & 3;
    if (quadrant == 0) return vec2(float(cr), float(sr));
    if (quadrant == 1) return vec2(float(-sr), float(cr));
    if (quadrant == 2) return vec2(float(-cr), float(-sr));
    return vec2(float(sr), float(-cr));
}
