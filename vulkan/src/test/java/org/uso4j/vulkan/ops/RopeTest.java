package org.uso4j.vulkan.ops;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.TestDevice;
import org.uso4j.vulkan.VulkanContext;

/**
 * RoPE on the device against ScalarBackend.rope, and the RoPE tables against the host EmbedND. rope: two products and
 * a sum per output, rounded as written on both sides, so 1e-6 of |pe·x| terms is slack for a device that fuses them;
 * tables: cos and sin are evaluated in double and rounded once, so they must agree with Math.cos/sin to a float ulp
 * (asserted ≤ 2e-6 absolute, as the issue asks).
 */
class RopeTest {
    private static final ScalarBackend SCALAR = new ScalarBackend();

    @Test
    void ropeMatchesScalarOnAwkwardShapes() {
        int[][] shapes = {{1, 1, 1, 2, 1}, {2, 3, 17, 6, 2}, {1, 5, 33, 128, 1}, {2, 2, 129, 72, 1}, {3, 1, 300, 16, 3}};
        Random r = new Random(8);
        VulkanContext ctx = TestDevice.context();
        for (int[] s : shapes) {
            int b = s[0], h = s[1], l = s[2], d = s[3], pb = s[4];
            float[] x = Compare.uniform(r, b * h * l * d, -3, 3), pe = Compare.uniform(r, pb * l * d * 2, -1, 1);
            float[] expected = SCALAR.rope(Tensor.wrap(x, b, h, l, d), Tensor.wrap(pe, pb, 1, l, d / 2, 2, 2)).floats();
            Buffer bx = ctx.transfers().upload(x), bp = ctx.transfers().upload(pe);
            Buffer out = new Rope(ctx).rope(bx, b, h, l, d, bp, pb);
            float[] got = ctx.transfers().readFloats(out, x.length);
            for (Buffer buf : new Buffer[] {bx, bp, out}) ctx.heap().free(buf);
            for (int i = 0; i < x.length; i++) {
                int row = i / d, pair = (i % d) / 2, t = row % l, n = row / (h * l);
                int q = (((pb == 1 ? 0 : n) * l + t) * (d / 2) + pair) * 4 + (i % 2) * 2;
                double magnitude = Math.abs(pe[q] * x[i - i % 2]) + Math.abs(pe[q + 1] * x[i - i % 2 + 1]);
                assertEquals(expected[i], got[i], 1e-6 * magnitude + 1e-30, "rope " + java.util.Arrays.toString(s) + " element " + i);
            }
        }
    }

    @Test
    void ropeTableMatchesEmbedNdForIdsUpTo4096() {
        VulkanContext ctx = TestDevice.context();
        Random r = new Random(21);
        double worst = 0;
        try (Rope rope = new Rope(ctx)) {
            int[][] axesSets = {{16, 56, 56}, {3, 8, 5}, {2}};
            for (int[] axes : axesSets) {
                int b = 2, l = 333;
                float[] ids = new float[b * l * axes.length];
                for (int i = 0; i < ids.length; i++) {
                    // integers over ±4096, a few halves, and the extremes
                    ids[i] = i % 7 == 0 ? (r.nextInt(16385) - 8192) / 2f : r.nextInt(8193) - 4096;
                }
                ids[0] = 4096;
                ids[1] = -4096;
                float[] expected = new ScalarBackend().ropeTable(Tensor.wrap(ids, b, l, axes.length), 10000, axes).floats();
                Buffer bi = ctx.transfers().upload(ids);
                Buffer out = rope.ropeTable(bi, b, l, 10000, axes);
                float[] got = ctx.transfers().readFloats(out, expected.length);
                ctx.heap().free(bi);
                ctx.heap().free(out);
                for (int i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - expected[i]));
            }
        }
        System.out.println("ropeTable vs EmbedNd, ids within ±4096: max |error| " + worst);
        assertTrue(worst <= 2e-6, "max error " + worst);
        assertTrue(worst <= Math.ulp(1f), "cos/sin in double are one rounding from Math.cos/sin: " + worst);
    }

    @Test
    void aRopeTablePerStepTransfersNothingOnceItsFrequenciesAreUp() {
        VulkanContext ctx = TestDevice.context();
        Buffer ids = ctx.transfers().upload(new float[] {0, 1, 2, 0, 3, 4});
        try (Rope rope = new Rope(ctx)) {
            ctx.heap().free(rope.ropeTable(ids, 1, 2, 10000, new int[] {4, 6, 6}));
            long uploads = ctx.transfers().constants();
            Buffer pe = rope.ropeTable(ids, 1, 2, 10000, new int[] {4, 6, 6});
            assertEquals(uploads, ctx.transfers().constants(), "the second table of the same axes uploads nothing");
            float[] got = ctx.transfers().readFloats(pe, 2 * 8 * 4);
            assertEquals(1f, got[0]);            // id 0: the identity rotation
            assertEquals((float) Math.cos(3.0), got[8 * 4 + 2 * 4], 1e-7f); // token 1, axis 1, pair 0: ω = 1, id 3
            ctx.heap().free(pe);
        }
        ctx.heap().free(ids);
    }

    @Test
    void badShapesAreRefused() {
        VulkanContext ctx = TestDevice.context();
        Rope rope = new Rope(ctx);
        Buffer small = ctx.transfers().upload(new float[8]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rope.rope(small, 1, 1, 1, 3, small, 1));
        assertTrue(e.getMessage().contains("D must be even"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> rope.rope(small, 2, 1, 4, 2, small, 3));
        assertTrue(e.getMessage().contains("pe batch must be 1 or B = 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> rope.ropeTable(small, 1, 100, 10000, new int[] {16, 56, 56}));
        assertTrue(e.getMessage().contains("ids [B, L, 3]"), e.getMessage());
        ctx.heap().free(small);
        rope.close();
    }
}
