package org.uso4j.vulkan.ops;

import static org.junit.jupiter.api.Assertions.*;
import static org.uso4j.vulkan.ops.DeviceTensors.*;

import org.junit.jupiter.api.Test;
import org.uso4j.core.DType;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.TestDevice;
import org.uso4j.vulkan.VulkanContext;

/**
 * Norms vs ScalarBackend. The twin accumulates in double, the shaders in float (per-invocation runs, then a tree):
 * the mean and variance carry ≈ sqrt(C)·2⁻²⁴ relative error, and an output near 0 (x ≈ mean) inherits the absolute
 * error of (x - mean), so the bound is 2e-6 relative plus 2e-6 absolute (outputs are O(1) after normalising; the
 * affine weight scales them by ≤ ~2). Inputs have a mean far from 0 so that a one-pass variance would fail.
 */
class NormsTest {
    private static final ScalarBackend CPU = new ScalarBackend();
    private static final double REL = 2e-6, ABS = 2e-6;

    @Test
    void layerNormMatchesTheScalarTwinForEveryAffineForm() {
        VulkanContext ctx = TestDevice.context();
        Norms norms = new Norms(ctx);
        int[][] shapes = {{1, 1}, {3, 3}, {2, 5, 33}, {2, 257}, {3, 3072}};
        DType[] types = {DType.F32, DType.F16, DType.BF16};
        int s = 0;
        for (int[] dims : shapes) {
            int c = dims[dims.length - 1], rows = Math.toIntExact(Tensor.zeros(dims).numel() / c);
            Tensor x = random(++s, 3f, 2f, dims);
            for (int form = 0; form < 4; form++) {
                DType wt = types[(s + form) % 3], bt = types[(s + form + 1) % 3];
                Tensor w = form % 2 == 0 ? stored(random(100 + s, 1f, 0.5f, c), wt) : null;
                Tensor b = form >= 2 ? stored(random(200 + s, 0f, 1f, c), bt) : null;
                float[] expected = CPU.layerNorm(x, w, b, 1e-6f).floats();
                Buffer bx = up(ctx, x), bw = up(ctx, w), bb = up(ctx, b);
                float[] got = down(ctx, norms.layerNorm(bx, rows, c, bw, wt, bb, bt, 1e-6f), expected.length);
                free(ctx, bx, bw, bb);
                assertClose(expected, got, REL, ABS, "layerNorm " + java.util.Arrays.toString(dims) + " weight " + (w == null ? "none" : wt) + " bias " + (b == null ? "none" : bt));
            }
        }
    }

    @Test
    void rmsNormMatchesTheScalarTwinIncludingMoreRowsThanOneDispatchDimension() {
        VulkanContext ctx = TestDevice.context();
        Norms norms = new Norms(ctx);
        int[][] shapes = {{1, 1}, {2, 3, 17}, {2, 3, 5, 128}, {1, 70_000, 3}, {2, 3072}};
        int s = 10;
        for (int[] dims : shapes) {
            int c = dims[dims.length - 1], rows = Math.toIntExact(Tensor.zeros(dims).numel() / c);
            Tensor x = random(++s, 0.5f, 2f, dims);
            for (DType st : new DType[] {null, DType.F32, DType.BF16, DType.F16}) {
                Tensor scale = st == null ? null : stored(random(300 + s, 1f, 0.3f, c), st);
                float[] expected = CPU.rmsNorm(x, scale, 1e-6f).floats();
                Buffer bx = up(ctx, x), bs = up(ctx, scale);
                float[] got = down(ctx, norms.rmsNorm(bx, rows, c, bs, st, 1e-6f), expected.length);
                free(ctx, bx, bs);
                assertClose(expected, got, REL, ABS, "rmsNorm " + java.util.Arrays.toString(dims) + " scale " + st);
            }
        }
    }

    @Test
    void groupNormMatchesTheScalarTwinAcrossChunksAndWithAFusedActivation() {
        VulkanContext ctx = TestDevice.context();
        Norms norms = new Norms(ctx);
        // [B, C, spatial...], groups: one element per group, odd sizes, rank 3, a group of 2 chunks, one of 44 chunks
        int[][] shapes = {{1, 3, 1}, {2, 6, 5, 7}, {3, 4, 33}, {1, 64, 8, 70}, {1, 2, 300, 300}};
        int[] groups = {3, 3, 2, 32, 1};
        int s = 20;
        for (int k = 0; k < shapes.length; k++) {
            int[] dims = shapes[k];
            int b = dims[0], c = dims[1], spatial = Math.toIntExact(Tensor.zeros(dims).numel() / ((long) b * c));
            Tensor x = random(++s, -4f, 3f, dims);
            Tensor w = stored(random(400 + s, 1f, 0.5f, c), DType.F16), bias = stored(random(500 + s, 0f, 1f, c), DType.BF16);
            Buffer bx = up(ctx, x), bw = up(ctx, w), bb = up(ctx, bias);
            float[] plain = CPU.groupNorm(x, groups[k], null, null, 1e-6f).floats();
            assertClose(plain, down(ctx, norms.groupNorm(bx, b, c, spatial, groups[k], null, null, null, null, 1e-6f), plain.length),
                    REL, ABS, "groupNorm " + java.util.Arrays.toString(dims));
            float[] affine = CPU.groupNorm(x, groups[k], w, bias, 1e-6f).floats();
            assertClose(affine, down(ctx, norms.groupNorm(bx, b, c, spatial, groups[k], bw, DType.F16, bb, DType.BF16, 1e-6f), affine.length),
                    REL, ABS, "groupNorm affine " + java.util.Arrays.toString(dims));
            float[] swish = CPU.activate(CPU.groupNorm(x, groups[k], w, bias, 1e-6f), Activation.SILU).floats();
            assertClose(swish, down(ctx, norms.groupNorm(bx, b, c, spatial, groups[k], bw, DType.F16, bb, DType.BF16, 1e-6f, Activation.SILU), swish.length),
                    REL, ABS, "groupNorm + SiLU " + java.util.Arrays.toString(dims));
            free(ctx, bx, bw, bb);
        }
    }

    @Test
    void badShapesAndStoredTypesAreRefusedNamingTheOperand() {
        VulkanContext ctx = TestDevice.context();
        Norms norms = new Norms(ctx);
        Buffer x = ctx.heap().allocate(4 * 24);
        try {
            assertRefused("weight is stored as Q8_0", () -> norms.layerNorm(x, 2, 12, x, DType.Q8_0, null, null, 1e-6f));
            assertRefused("6 channels not divisible by 4 groups", () -> norms.groupNorm(x, 1, 6, 4, 4, null, null, null, null, 1e-6f));
            assertRefused("x holds 256 bytes, the shape needs 4800", () -> norms.rmsNorm(x, 100, 12, null, null, 1e-6f));
        } finally {
            ctx.heap().free(x);
        }
    }
}
