package org.uso4j.core;

/** Bit-level conversions between float32 and the 16- and 8-bit float formats of checkpoints. */
public final class FloatFormats {
    private FloatFormats() {}

    /** bfloat16 = upper 16 bits of a float32. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** float32 to bfloat16 with round-to-nearest-even (NaN kept quiet), as PyTorch's {@code .to(bfloat16)}. */
    public static short floatToBf16(float f) {
        int x = Float.floatToRawIntBits(f);
        if ((x & 0x7FFFFFFF) > 0x7F800000) return (short) ((x >>> 16) | 0x40);
        int lsb = (x >>> 16) & 1;
        return (short) ((x + 0x7FFF + lsb) >>> 16);
    }

    /** A float32 copy of {@code t} with every value rounded to the nearest bfloat16 (PyTorch's {@code .to(bfloat16)}). */
    public static Tensor roundedToBf16(Tensor t) {
        float[] src = t.toF32().floats(), out = new float[src.length];
        for (int i = 0; i < src.length; i++) out[i] = bf16ToFloat(floatToBf16(src[i]));
        return Tensor.wrap(out, t.dims());
    }

    public static float f16ToFloat(short bits) { return Float.float16ToFloat(bits); }

    public static short floatToF16(float f) { return Float.floatToFloat16(f); }

    private static final float[] E4M3 = new float[256];
    private static final float[] E5M2 = new float[256];
    static {
        for (int b = 0; b < 256; b++) {
            E4M3[b] = decodeE4M3(b);
            E5M2[b] = f16ToFloat((short) (b << 8)); // e5m2 is the upper byte of an IEEE half
        }
    }

    private static float decodeE4M3(int b) {
        int sign = (b & 0x80) != 0 ? -1 : 1;
        int e = (b >>> 3) & 0xF, m = b & 7;
        if (e == 15 && m == 7) return Float.NaN;
        if (e == 0) return sign * (m / 8f) * 0x1p-6f;
        return sign * (1 + m / 8f) * Math.scalb(1f, e - 7);
    }

    public static float e4m3ToFloat(byte b) { return E4M3[b & 0xFF]; }

    public static float e5m2ToFloat(byte b) { return E5M2[b & 0xFF]; }

    /** Look-up table of all 256 float8 e4m3fn values (shared, do not modify). */
    static float[] e4m3Table() { return E4M3; }

    static float[] e5m2Table() { return E5M2; }

    /** float32 to e4m3fn, round-to-nearest-even, saturating to ±448 (NaN stays NaN). */
    public static byte floatToE4M3(float f) {
        if (Float.isNaN(f)) return (byte) 0x7F;
        int sign = f < 0 || (f == 0 && 1 / f < 0) ? 0x80 : 0;
        float a = Math.abs(f);
        if (a >= 448f) return (byte) (sign | 0x7E);
        // brute force over the 127 finite magnitudes: exact and simple (used at load time only)
        int best = 0;
        float bestErr = Float.POSITIVE_INFINITY;
        for (int c = 0; c <= 0x7E; c++) {
            float err = Math.abs(E4M3[c] - a);
            if (err < bestErr || (err == bestErr && (c & 1) == 0)) { best = c; bestErr = err; }
        }
        return (byte) (sign | best);
    }
}
