package org.uso4j.pipeline.random;

import org.uso4j.core.FloatFormats;

/**
 * PyTorch's CPU generator ({@code torch.Generator().manual_seed(seed)}) and the draws USO makes from it,
 * bit for bit: {@code torch.randn} in float32 and bfloat16, and {@code torch.rand}. Written from the behaviour
 * of aten/src/ATen/native/cpu/DistributionTemplates.h ({@code normal_fill}, {@code normal_fill_16_AVX2}),
 * ATen/core/DistributionsHelper.h and CPUGeneratorImpl (torch 1.13), as documented and checked by the
 * golden case {@code rng}. Not thread-safe: one generator per thread, like PyTorch's.
 */
public final class TorchRandom {
    /** {@code float(2*pi)}, the AVX2 kernel's theta factor. */
    private static final float TWO_PI_F = (float) (2.0 * Math.PI);
    private static final float UNIFORM24 = 0x1p-24f;
    private static final float UNIFORM8 = 0x1p-8f;
    private static final double UNIFORM53 = 0x1p-53;

    private final Mt19937 engine;
    /** The second value of the last double Box-Muller pair, returned by the next small draw (like the generator's). */
    private double nextDoubleNormal;
    private boolean hasNextDoubleNormal;

    /** {@code manual_seed(seed)}: MT19937 seeded with {@code seed & 0xFFFFFFFF}; negative seeds wrap like PyTorch's. */
    public TorchRandom(long seed) {
        this.engine = new Mt19937((int) seed);
    }

    /** {@code random()}: the next 32-bit output (unsigned bits in an int). */
    int random() { return engine.nextInt(); }

    /** {@code random64()}: {@code (first << 32) | second}. */
    long random64() {
        long hi = engine.nextInt() & 0xFFFFFFFFL;
        long lo = engine.nextInt() & 0xFFFFFFFFL;
        return (hi << 32) | lo;
    }

    private float uniformFloat() { return (random() & 0xFFFFFF) * UNIFORM24; }

    private float uniformBf16() { return (random() & 0xFF) * UNIFORM8; }

    private double uniformDouble() { return (random64() & ((1L << 53) - 1)) * UNIFORM53; }

    /** {@code torch.rand(n)} in float32: {@code (random() & 0xFFFFFF) * 2^-24}. */
    public float[] rand(int n) {
        requireCount(n);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = uniformFloat();
        return out;
    }

    /** {@code torch.randn(n, dtype=float32)} on the CPU kernel of {@code capability}. */
    public float[] randn(int n, CpuCapability capability) {
        requireCount(n);
        float[] data = new float[n];
        if (n < 16) {
            for (int i = 0; i < n; i++) data[i] = (float) normalDouble();
            return data;
        }
        for (int i = 0; i < n; i++) data[i] = uniformFloat();
        for (int i = 0; i + 16 <= n; i += 16) fill16(data, i, capability);
        if (n % 16 != 0) {
            // recompute the last 16 values with fresh uniforms
            for (int i = n - 16; i < n; i++) data[i] = uniformFloat();
            fill16(data, n - 16, capability);
        }
        return data;
    }

    /**
     * {@code torch.randn(n, dtype=bfloat16)}: 8-bit uniforms and every intermediate rounded to bfloat16 (not
     * {@code bf16(randn float32)}); fewer than 16 elements take the double path, rounded to float then bfloat16.
     * Returns the bfloat16 bit patterns.
     */
    public short[] randnBf16(int n) {
        requireCount(n);
        short[] out = new short[n];
        if (n < 16) {
            for (int i = 0; i < n; i++) out[i] = FloatFormats.floatToBf16((float) normalDouble());
            return out;
        }
        float[] data = new float[n]; // every value is a bfloat16, held as float
        for (int i = 0; i < n; i++) data[i] = uniformBf16();
        for (int i = 0; i + 16 <= n; i += 16) fill16Bf16(data, i);
        if (n % 16 != 0) {
            for (int i = n - 16; i < n; i++) data[i] = uniformBf16();
            fill16Bf16(data, n - 16);
        }
        for (int i = 0; i < n; i++) out[i] = FloatFormats.floatToBf16(data[i]);
        return out;
    }

    /**
     * {@code at::normal_distribution<double>}: Box-Muller on two uniform doubles, the sine half cached in the
     * generator for the next call (also across calls: randn(5) then randn(3) equals randn(8)).
     */
    private double normalDouble() {
        if (hasNextDoubleNormal) {
            hasNextDoubleNormal = false;
            return nextDoubleNormal;
        }
        double u1 = uniformDouble();
        double u2 = uniformDouble();
        double r = StrictMath.sqrt(-2.0 * StrictMath.log1p(-u2));
        double theta = 2.0 * Math.PI * u1;
        nextDoubleNormal = r * StrictMath.sin(theta);
        hasNextDoubleNormal = true;
        return r * StrictMath.cos(theta);
    }

    /** Box-Muller over one block of 16 uniforms: pairs (j, j+8). */
    private static void fill16(float[] data, int at, CpuCapability capability) {
        for (int j = at; j < at + 8; j++) {
            float u1 = 1f - data[j];
            float u2 = data[j + 8];
            float radius, cos, sin;
            if (capability == CpuCapability.AVX2) {
                radius = (float) Math.sqrt(-2f * CephesAvx2.log(u1));
                float theta = TWO_PI_F * u2;
                cos = CephesAvx2.cos(theta);
                sin = CephesAvx2.sin(theta);
            } else {
                radius = (float) Math.sqrt(-2f * GlibcFloatMath.logf(u1));
                float theta = (float) (2.0 * Math.PI * u2);
                cos = GlibcFloatMath.cosf(theta);
                sin = GlibcFloatMath.sinf(theta);
            }
            // n * std + mean with std 1, mean 0 (turns -0.0 into +0.0)
            data[j] = radius * cos + 0f;
            data[j + 8] = radius * sin + 0f;
        }
    }

    /** normal_fill_16 on bfloat16 data: each operation rounds to bfloat16. */
    private static void fill16Bf16(float[] data, int at) {
        for (int j = at; j < at + 8; j++) {
            float u1 = bf16(1f - data[j]);
            float u2 = data[j + 8];
            float lg = bf16(GlibcFloatMath.logf(u1));
            float radius = bf16((float) Math.sqrt(bf16(-2f * lg)));
            float theta = bf16((float) (2.0 * Math.PI * u2));
            float cos = bf16(GlibcFloatMath.cosf(theta));
            float sin = bf16(GlibcFloatMath.sinf(theta));
            data[j] = bf16(bf16(radius * cos) * 1f + 0f);
            data[j + 8] = bf16(bf16(radius * sin) * 1f + 0f);
        }
    }

    private static float bf16(float x) { return FloatFormats.bf16ToFloat(FloatFormats.floatToBf16(x)); }

    private static void requireCount(int n) {
        if (n < 0) throw new IllegalArgumentException("element count must be >= 0, got " + n);
    }
}
