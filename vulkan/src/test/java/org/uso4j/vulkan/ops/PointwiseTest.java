package org.uso4j.vulkan.ops;

import static org.junit.jupiter.api.Assertions.*;
import static org.uso4j.vulkan.ops.DeviceTensors.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.TestDevice;
import org.uso4j.vulkan.VulkanContext;

/**
 * Pointwise ops vs ScalarBackend. Arithmetic (add, mul, scale, modulate, addGated, addScaled) must be bitwise equal:
 * the shaders mark it precise, so a fused multiply-add would fail these tests.
 *
 * <p>Activations: the twin computes in double and rounds once; the shaders compute in float with the GPU's exp
 * (Vulkan allows 3 + 2·|x| ulp). Measured on lavapipe over [-20, 20]: ≤ 6e-7 relative (≤ 8 ulp) where |out| ≥ 0.1,
 * ≤ 1.6e-6 where |out| ≥ 1e-3, up to 4e-6 (48 ulp) in the far negative tails, where the error of the float exp
 * argument (|arg|·2⁻²⁴, arg up to ≈ 30) dominates. Below |out| ≈ 1e-8 the twin itself cancels (1 + tanh and 1 + erf
 * in double reach 0 near x ≈ -6 while the shaders keep x·sigmoid(2u) and erfc), so the bound is 3e-6 relative plus
 * 1e-10 absolute.
 */
class PointwiseTest {
    private static final ScalarBackend CPU = new ScalarBackend();
    private static final double ACT_REL = 3e-6, ACT_ABS = 1e-10;

    /** A sweep over [-20, 20], random values, and the special ones (±0, ±Inf, NaN, subnormal, huge). */
    private static Tensor activationInputs() {
        int sweep = 40_001;
        float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -1e-30f,
                1e-30f, 1e20f, -1e20f, 3e38f, -3e38f, 88.7f, -88.7f, 0.5f * 1.4142135f, -0.5f * 1.4142135f, 4f * 1.4142135f};
        float[] x = new float[sweep + 1000 + special.length];
        for (int i = 0; i < sweep; i++) x[i] = -20f + 40f * i / (sweep - 1);
        float[] r = random(7, 0f, 3f, 1000).floats();
        System.arraycopy(r, 0, x, sweep, r.length);
        System.arraycopy(special, 0, x, sweep + 1000, special.length);
        return Tensor.wrap(x, x.length);
    }

    @Test
    void everyActivationMatchesTheScalarTwin() {
        VulkanContext ctx = TestDevice.context();
        Pointwise pw = new Pointwise(ctx);
        Tensor x = activationInputs();
        Buffer bx = up(ctx, x);
        try {
            for (Activation kind : Activation.values()) {
                float[] expected = CPU.activate(x, kind).floats();
                float[] got = down(ctx, pw.activate(bx, expected.length, kind), expected.length);
                assertClose(expected, got, ACT_REL, ACT_ABS, kind.name());
                for (int n : new int[] {1, 3, 33}) {  // short lengths: the tail of one work group
                    float[] part = Arrays.copyOf(expected, n);
                    assertClose(part, down(ctx, pw.activate(bx, n, kind), n), ACT_REL, ACT_ABS, kind + " n=" + n);
                }
            }
        } finally {
            free(ctx, bx);
        }
    }

    @Test
    void addAndMulBroadcastEverySuffixBitwise() {
        VulkanContext ctx = TestDevice.context();
        Pointwise pw = new Pointwise(ctx);
        Tensor a = random(1, 0f, 1f, 2, 3, 17, 33);
        int[][] suffixes = {{2, 3, 17, 33}, {3, 17, 33}, {17, 33}, {33}, {}};
        Buffer ba = up(ctx, a);
        for (int[] sd : suffixes) {
            Tensor b = random(2 + sd.length, 0.5f, 2f, sd);
            Buffer bb = up(ctx, b);
            int n = (int) a.numel(), nb = (int) b.numel();
            assertArrayEquals(CPU.add(a, b).floats(), down(ctx, pw.add(ba, n, bb, nb), n), "add " + b.shape());
            assertArrayEquals(CPU.mul(a, b).floats(), down(ctx, pw.mul(ba, n, bb, nb), n), "mul " + b.shape());
            free(ctx, bb);
        }
        assertArrayEquals(CPU.scale(a, -0.37f).floats(), down(ctx, pw.scale(ba, (int) a.numel(), -0.37f), (int) a.numel()));
        assertRefused("35 elements does not broadcast to 3366", () -> pw.add(ba, 3366, ba, 35));
        free(ctx, ba);
    }

    @Test
    void addScaledIsBitwiseAddOfScaleAsTheEulerUpdate() {
        VulkanContext ctx = TestDevice.context();
        Pointwise pw = new Pointwise(ctx);
        for (int n : new int[] {1, 257, 100_003}) {
            Tensor a = random(n, 0f, 1f, n), b = random(n + 1, 0f, 1f, n);
            Buffer ba = up(ctx, a), bb = up(ctx, b);
            for (float dt : new float[] {-0.04f, 0.3333333f, -1f / 28}) {
                float[] expected = CPU.add(a, CPU.scale(b, dt)).floats();
                assertArrayEquals(expected, down(ctx, pw.addScaled(ba, bb, n, dt), n), "n=" + n + " dt=" + dt);
            }
            free(ctx, ba, bb);
        }
    }

    @Test
    void modulateAndGatedResidualAreBitwiseTheTwins() {
        VulkanContext ctx = TestDevice.context();
        Pointwise pw = new Pointwise(ctx);
        int[][] shapes = {{1, 1, 1}, {2, 17, 33}, {3, 5, 257}, {2, 70_000, 3}, {1, 1024, 3072}};   // 70000 tokens: more than one dispatch dimension
        for (int[] d : shapes) {
            int b = d[0], l = d[1], c = d[2], n = b * l * c;
            Tensor x = random(c, 0f, 1f, d), y = random(c + 1, 0f, 1f, d);
            Tensor shift = random(l, 0f, 1f, b, c), scale = random(l + 1, 0f, 0.5f, b, c), gate = random(l + 2, 0f, 1f, b, 1, c);
            Buffer bx = up(ctx, x), by = up(ctx, y), bsh = up(ctx, shift), bsc = up(ctx, scale), bg = up(ctx, gate);
            assertArrayEquals(CPU.modulate(x, shift, scale).floats(), down(ctx, pw.modulate(bx, b, l, c, bsh, bsc), n), "modulate " + Arrays.toString(d));
            assertArrayEquals(CPU.addGated(x, gate, y).floats(), down(ctx, pw.addGated(bx, b, l, c, bg, by), n), "addGated " + Arrays.toString(d));
            free(ctx, bx, by, bsh, bsc, bg);
        }
    }

    @Test
    void posteriorSampleMatchesDiagonalGaussian() {
        VulkanContext ctx = TestDevice.context();
        Pointwise pw = new Pointwise(ctx);
        int[][] shapes = {{1, 2, 1, 1}, {2, 32, 5, 7}, {1, 32, 33, 17}};   // moments [B, 2Z, h, w]
        for (int[] d : shapes) {
            int b = d[0], z = d[1] / 2, spatial = d[2] * d[3], n = b * z * spatial;
            Tensor moments = random(n, 0f, 3f, d), noise = random(n + 1, 0f, 1f, b, z, d[2], d[3]);
            // model/vae/DiagonalGaussian.forward: slices, std = (float) exp(0.5f · logvar) on the host, mean + std · eps
            Tensor mean = CPU.slice(moments, 1, 0, z), logvar = CPU.slice(moments, 1, z, 2 * z);
            float[] lv = logvar.floats(), std = new float[lv.length];
            for (int i = 0; i < lv.length; i++) std[i] = (float) Math.exp(0.5f * lv[i]);
            Tensor stdNoise = CPU.mul(Tensor.wrap(std, logvar.dims()), noise);
            float[] expected = CPU.add(mean, stdNoise).floats(), sn = stdNoise.floats(), m = mean.floats();
            Buffer bm = up(ctx, mean), bl = up(ctx, logvar), be = up(ctx, noise);
            float[] got = down(ctx, pw.gaussianSample(bm, bl, be, n), n);
            free(ctx, bm, bl, be);
            for (int i = 0; i < n; i++) {   // exp differs by a few ulp: bound the error by the parts' sizes
                double bound = 1e-6 * Math.abs(sn[i]) + 1.2e-7 * Math.abs(m[i]) + 1e-30;
                assertTrue(Math.abs(got[i] - expected[i]) <= bound, "sample " + Arrays.toString(d) + " element " + i + ": " + got[i] + " vs " + expected[i]);
            }
        }
    }

    @Test
    void allFiniteFindsNaNAndInfinityAnywhereAndOnlyWithinN() {
        VulkanContext ctx = TestDevice.context();
        Pointwise pw = new Pointwise(ctx);
        int n = 70_001;
        float[] x = random(3, 0f, 1e30f, n).floats();
        x[5] = Float.MAX_VALUE;
        x[6] = -Float.MIN_VALUE;
        Buffer finite = ctx.transfers().upload(x);
        assertTrue(pw.allFinite(finite, n));
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0xFFC00001)}) {
            for (int at : new int[] {0, 4097, n - 1}) {
                float[] y = x.clone();
                y[at] = bad;
                Buffer b = ctx.transfers().upload(y);
                assertFalse(pw.allFinite(b, n), bad + " at " + at);
                assertTrue(pw.allFinite(b, at), "only the first " + at + " elements are looked at");
                free(ctx, b);
            }
        }
        assertTrue(pw.allFinite(finite, 1));
        Buffer flag = pw.nonFiniteFlag(finite, n);
        assertEquals(0, ctx.transfers().readStatus(flag));
        free(ctx, flag, finite);
    }

    @Test
    void aChainOfOpsRecordsWithoutWaitingOrCrossingToTheHost() {
        VulkanContext ctx = TestDevice.context();
        Pointwise pw = new Pointwise(ctx);
        Norms norms = new Norms(ctx);
        int b = 1, l = 33, c = 257, n = b * l * c;
        Tensor x = random(1, 0f, 1f, b, l, c), shift = random(2, 0f, 1f, b, c), scale = random(3, 0f, 1f, b, c);
        Buffer bx = up(ctx, x), bsh = up(ctx, shift), bsc = up(ctx, scale);
        ctx.finish();
        long batches = ctx.stream().batches(), uploads = ctx.transfers().uploads(), downloads = ctx.transfers().downloads();
        Buffer normed = norms.layerNorm(bx, l, c, null, null, null, null, 1e-6f);
        Buffer modulated = pw.modulate(normed, b, l, c, bsh, bsc);
        Buffer act = pw.activate(modulated, n, Activation.GELU_TANH);
        Buffer flag = pw.nonFiniteFlag(act, n);
        assertEquals(batches, ctx.stream().batches(), "the ops only record");
        assertEquals(0, ctx.transfers().readStatus(flag));
        assertEquals(batches + 1, ctx.stream().batches(), "one batch for the whole chain");
        assertEquals(uploads, ctx.transfers().uploads());
        assertEquals(downloads, ctx.transfers().downloads(), "the status word is not a download");
        Tensor expected = CPU.activate(CPU.modulate(CPU.layerNorm(x, null, null, 1e-6f), shift, scale), Activation.GELU_TANH);
        assertClose(expected.floats(), down(ctx, act, n), 1e-5, 1e-5, "layerNorm → modulate → gelu");
        free(ctx, bx, bsh, bsc, normed, modulated, flag);
    }
}
