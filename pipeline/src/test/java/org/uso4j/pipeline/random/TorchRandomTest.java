package org.uso4j.pipeline.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.uso4j.core.DType;

class TorchRandomTest {
    @Test
    void mersenneTwisterReferenceOutputs() {
        // mt19937 reference: init_genrand(5489) first outputs; the 10000th output is 4123659995 (C++ std::mt19937).
        Mt19937 mt = new Mt19937(5489);
        assertEquals(3499211612L, mt.nextInt() & 0xFFFFFFFFL);
        assertEquals(581869302L, mt.nextInt() & 0xFFFFFFFFL);
        Mt19937 m2 = new Mt19937(5489);
        int last = 0;
        for (int i = 0; i < 10000; i++) last = m2.nextInt();
        assertEquals(4123659995L, last & 0xFFFFFFFFL);
    }

    @Test
    void seedIsReducedTo32Bits() {
        assertArrayEquals(new TorchRandom(7).rand(20), new TorchRandom(7 + (1L << 32)).rand(20));
        assertArrayEquals(new TorchRandom(-1).rand(5), new TorchRandom(0xFFFFFFFFL).rand(5));
    }

    @Test
    void smallDrawsKeepTheCachedNormalAcrossCalls() {
        // randn(5) then randn(3) on one generator equals randn(8) split (both < 16: the double path)
        TorchRandom a = new TorchRandom(7);
        float[] first = a.randn(5, CpuCapability.AVX2);
        float[] second = a.randn(3, CpuCapability.AVX2);
        float[] whole = new TorchRandom(7).randn(8, CpuCapability.AVX2);
        float[] joined = new float[8];
        System.arraycopy(first, 0, joined, 0, 5);
        System.arraycopy(second, 0, joined, 5, 3);
        assertArrayEquals(whole, joined);
    }

    @Test
    void capabilitiesAgreeOnSmallTensorsAndDifferOnlyInLastBits() {
        float[] avx = new TorchRandom(1).randn(4096, CpuCapability.AVX2);
        float[] def = new TorchRandom(1).randn(4096, CpuCapability.DEFAULT);
        for (int i = 0; i < avx.length; i++) assertEquals(avx[i], def[i], 4e-6f);
        assertArrayEquals(new TorchRandom(3).randn(15, CpuCapability.AVX2), new TorchRandom(3).randn(15, CpuCapability.DEFAULT));
    }

    @Test
    void noiseShapeAndBadArguments() {
        assertEquals(org.uso4j.core.Shape.of(2, 16, 26, 18), LatentNoise.shape(2, 200, 136));
        assertEquals(DType.BF16, LatentNoise.getNoise(1, 32, 32, DType.BF16, 1, CpuCapability.AVX2).dtype());
        assertThrows(IllegalArgumentException.class, () -> LatentNoise.shape(1, 0, 16));
        assertThrows(IllegalArgumentException.class,
                () -> LatentNoise.getNoise(1, 16, 16, DType.F16, 1, CpuCapability.AVX2));
        assertThrows(IllegalArgumentException.class, () -> new TorchRandom(1).randn(-1, CpuCapability.AVX2));
    }

    @Test
    void glibcLogAndTrigAreCloseToStrictMath() {
        for (float x = 1e-7f; x < 1f; x *= 1.37f) {
            assertEquals(StrictMath.log(x), GlibcFloatMath.logf(x), Math.ulp((float) StrictMath.log(x)));
            assertEquals(StrictMath.log(x), CephesAvx2.log(x), 4 * Math.ulp((float) StrictMath.log(x)));
        }
        for (float t = 0; t < 6.3f; t += 0.01f) {
            assertEquals(StrictMath.sin(t), GlibcFloatMath.sinf(t), 1.2e-7);
            assertEquals(StrictMath.cos(t), GlibcFloatMath.cosf(t), 1.2e-7);
            assertEquals(StrictMath.sin(t), CephesAvx2.sin(t), 3e-7);
            assertEquals(StrictMath.cos(t), CephesAvx2.cos(t), 3e-7);
        }
        assertThrows(IllegalArgumentException.class, () -> GlibcFloatMath.sinf(1000f));
    }
}
