package org.uso4j.vulkan.ops;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.TestDevice;
import org.uso4j.vulkan.VulkanContext;

/**
 * Flash attention and softmax against ScalarBackend. Tolerance 2e-5 relative to max(|expected|, max|v|): the device
 * sums q·k over D and p·v over the keys in float (ScalarBackend in double), error ~ sqrt(D)·ε·|q||k| on a score
 * ≈ 1e-6 for D = 256, times the few-ulp error of float exp; softmax 1e-5 relative (float exp and a float sum of n ≤ 1000
 * terms, ~sqrt(n)·ε; an argument x − max of −100 carries 100·ε into the exponent).
 */
class AttentionTest {
    private static final ScalarBackend SCALAR = new ScalarBackend();

    /** biasBatch 0: no bias. */
    record Case(int b, int h, int lq, int lk, int d, int dv, int biasBatch, boolean causal, float scaleFactor) {}

    @Test
    void attentionMatchesScalarOnAwkwardShapes() {
        Case[] cases = {
            new Case(1, 1, 1, 1, 1, 1, 0, false, 1),
            new Case(2, 3, 17, 33, 3, 5, 2, false, 1),
            new Case(1, 5, 33, 17, 8, 8, 0, true, 3),       // causal with Lq > Lk
            new Case(3, 2, 5, 300, 17, 3, 0, true, 1),      // causal with Lq < Lk
            new Case(2, 2, 1, 300, 64, 64, 1, false, 4),    // Lq = 1, bias shared by the batch
            new Case(1, 2, 129, 129, 72, 72, 1, true, 1),   // SigLIP's head size
            new Case(2, 1, 65, 70, 128, 128, 2, true, 2),   // FLUX's
            new Case(1, 2, 9, 1, 64, 32, 0, false, 1),      // one key, Dv ≠ D
            new Case(1, 1, 20, 31, 256, 200, 0, false, 1),  // the largest head size
            new Case(1, 4, 300, 300, 128, 128, 0, false, 1) // realistic-ish: 300 tokens, 4 heads of 128
        };
        Random r = new Random(12);
        for (Case c : cases) {
            float[] q = Compare.uniform(r, c.b * c.h * c.lq * c.d, -1, 1), k = Compare.uniform(r, c.b * c.h * c.lk * c.d, -1, 1);
            float[] v = Compare.uniform(r, c.b * c.h * c.lk * c.dv, -1, 1);
            float[] bias = c.biasBatch == 0 ? null : Compare.uniform(r, c.biasBatch * c.h * c.lq * c.lk, -2, 2);
            float scale = c.scaleFactor / (float) Math.sqrt(c.d);
            double err = check(c, q, k, v, bias, scale);
            assertTrue(err < 2e-5, c + ": " + err);
        }
    }

    @Test
    void veryNegativeBiasMasksKeysAsTheScalarBackendDoes() {
        // B = 2, H = 2, Lq = 6, Lk = 40 (two key tiles of 32 or three of 16): row 0 plain; row 1 keeps 3 keys (-1e30 on the
        // rest); row 2 masks half the keys with -inf; row 3 masks the whole first key tile with -inf; row 4 keeps one
        // key; row 5 masks every key (NaN, as ScalarBackend's 0/0)
        Case c = new Case(2, 2, 6, 40, 16, 24, 2, false, 1);
        Random r = new Random(5);
        float[] q = Compare.uniform(r, 2 * 2 * 6 * 16, -1, 1), k = Compare.uniform(r, 2 * 2 * 40 * 16, -1, 1);
        float[] v = Compare.uniform(r, 2 * 2 * 40 * 24, -1, 1), bias = Compare.uniform(r, 2 * 2 * 6 * 40, -1, 1);
        for (int bh = 0; bh < 4; bh++) {
            int o = bh * 6 * 40;
            for (int j = 0; j < 40; j++) {
                if (j % 13 != 0) bias[o + 40 + j] = -1e30f;
                if (j % 2 == 0) bias[o + 80 + j] = Float.NEGATIVE_INFINITY;
                if (j < 32) bias[o + 120 + j] = Float.NEGATIVE_INFINITY;
                if (j != 37) bias[o + 160 + j] = -1e30f;
                bias[o + 200 + j] = Float.NEGATIVE_INFINITY;
            }
        }
        float[] got = run(c, q, k, v, bias, 0.25f);
        for (int bh = 0; bh < 4; bh++) {
            for (int i = 0; i < 24; i++) assertTrue(Float.isNaN(got[(bh * 6 + 5) * 24 + i]), "a fully masked row is NaN");
            for (int i = 0; i < 24; i++) assertEquals(v[(bh * 40 + 37) * 24 + i], got[(bh * 6 + 4) * 24 + i], 1e-6f, "one key left: its value");
        }
        assertTrue(check(c, q, k, v, bias, 0.25f) < 2e-5);
    }

    @Test
    void softmaxMatchesScalarOnRowsOfAnyLength() {
        Random r = new Random(3);
        int[][] shapes = {{1, 1}, {3, 17}, {5, 257}, {2, 1000}, {70, 3}, {1, 4099}};
        for (int[] s : shapes) {
            float[] x = Compare.uniform(r, s[0] * s[1], -50, 50);
            if (s[1] > 2) x[1] = Float.NEGATIVE_INFINITY;
            float[] expected = SCALAR.softmax(Tensor.wrap(x, s)).floats();
            VulkanContext ctx = TestDevice.context();
            Buffer bx = ctx.transfers().upload(x);
            Buffer out = new Attention(ctx).softmax(bx, s[0], s[1]);
            float[] got = ctx.transfers().readFloats(out, x.length);
            ctx.heap().free(bx);
            ctx.heap().free(out);
            Compare.assertClose(expected, got, 1e-5, 1e-30, "softmax " + Arrays.toString(s));
        }
    }

    @Test
    void badOperandsAreRefusedNamingThem() {
        VulkanContext ctx = TestDevice.context();
        Attention att = new Attention(ctx);
        Buffer small = ctx.transfers().upload(new float[64]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> att.attention(small, small, small, 1, 1, 2, 2, 300, 300, 1f, null, 0, false));
        assertTrue(e.getMessage().contains("up to 256"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> att.attention(small, small, small, 1, 2, 8, 8, 8, 8, 1f, null, 0, false));
        assertTrue(e.getMessage().contains("q [B, H, Lq, D]") && e.getMessage().contains("128 floats"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> att.attention(small, small, small, 2, 1, 2, 2, 2, 2, 1f, small, 3, false));
        assertTrue(e.getMessage().contains("bias batch must be 1 or B = 2"), e.getMessage());
        ctx.heap().free(small);
    }

    @Test
    void tilesFitTheSharedMemory() {
        for (int hd : new int[] {1, 33, 72, 128, 256}) {
            for (int shared : new int[] {32 << 10, 16 << 10}) { // lavapipe's, and the least Vulkan promises
                if (hd > 128 && shared == 16 << 10) continue;
                Attention.Tiles t = Attention.Tiles.of(hd, shared);
                assertTrue(t.hd() >= hd && Attention.Tiles.sharedBytes(t.hd(), t.bq(), t.bk()) <= shared, t + " in " + shared);
                assertEquals(0, t.bq() * t.hd() % 64, t.toString());
                assertEquals(0, t.bq() * t.bk() % 64, t.toString());
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Attention.Tiles.of(256, 16 << 10));
        assertTrue(e.getMessage().contains("the device offers 16384"), e.getMessage());
    }

    /** Runs case c on the device and on ScalarBackend; returns the worst error relative to max(|expected|, max|v|). */
    private static double check(Case c, float[] q, float[] k, float[] v, float[] bias, float scale) {
        Tensor tb = bias == null ? null : Tensor.wrap(bias, c.biasBatch, c.h, c.lq, c.lk);
        float[] expected = SCALAR.attention(Tensor.wrap(q, c.b, c.h, c.lq, c.d), Tensor.wrap(k, c.b, c.h, c.lk, c.d),
                Tensor.wrap(v, c.b, c.h, c.lk, c.dv), scale, tb, c.causal).floats();
        float vmax = 0;
        for (float x : v) vmax = Math.max(vmax, Math.abs(x));
        return Compare.assertClose(expected, run(c, q, k, v, bias, scale), 2e-5, vmax, c.toString());
    }

    private static float[] run(Case c, float[] q, float[] k, float[] v, float[] bias, float scale) {
        VulkanContext ctx = TestDevice.context();
        Buffer bq = ctx.transfers().upload(q), bk = ctx.transfers().upload(k), bv = ctx.transfers().upload(v);
        Buffer bb = bias == null ? null : ctx.transfers().upload(bias);
        Buffer out = new Attention(ctx).attention(bq, bk, bv, c.b, c.h, c.lq, c.lk, c.d, c.dv, scale, bb, c.biasBatch, c.causal);
        float[] got = ctx.transfers().readFloats(out, c.b * c.h * c.lq * c.dv);
        for (Buffer b : new Buffer[] {bq, bk, bv, bb, out}) if (b != null) ctx.heap().free(b);
        return got;
    }
}
