package org.uso4j.vulkan.ops;

import static org.junit.jupiter.api.Assertions.*;
import static org.uso4j.vulkan.ops.DeviceTensors.*;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.uso4j.core.DType;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.TestDevice;
import org.uso4j.vulkan.VulkanContext;

/** Layout ops vs ScalarBackend (core's backend.Layout): copies, so every result must be bitwise equal. */
class LayoutTest {
    private static final ScalarBackend CPU = new ScalarBackend();

    @Test
    void concatAlongFirstMiddleAndLastDimensions() {
        VulkanContext ctx = TestDevice.context();
        Layout layout = new Layout(ctx);
        int[][][] cases = {
                {{1, 3, 5}, {3, 3, 5}},                 // dim 0
                {{2, 3, 5}, {2, 1, 5}, {2, 4, 5}},      // dim 1
                {{2, 3, 1}, {2, 3, 7}, {2, 3, 2}},      // last
                {{33}, {1}, {129}},                     // rank 1
                {{2, 3, 0, 4}, {2, 3, 5, 4}},           // an empty part, dim 2
        };
        int[] dims = {0, 1, -1, 0, 2};
        for (int k = 0; k < cases.length; k++) {
            Tensor[] parts = new Tensor[cases[k].length];
            Buffer[] buffers = new Buffer[parts.length];
            for (int p = 0; p < parts.length; p++) {
                parts[p] = random(10 * k + p, 0f, 1f, cases[k][p]);
                buffers[p] = up(ctx, parts[p]);
            }
            Tensor expected = CPU.concat(dims[k], List.of(parts));
            float[] got = down(ctx, layout.concat(dims[k], cases[k], buffers), (int) expected.numel());
            assertArrayEquals(expected.floats(), got, "concat dim " + dims[k] + " of " + Arrays.deepToString(cases[k]));
            free(ctx, buffers);
        }
        Buffer b = ctx.heap().allocate(4 * 30);
        assertRefused("shapes differ outside dim 1", () -> layout.concat(1, new int[][] {{2, 3, 5}, {3, 1, 5}}, b, b));
        free(ctx, b);
    }

    @Test
    void sliceAtBothEndsAndInTheMiddle() {
        VulkanContext ctx = TestDevice.context();
        Layout layout = new Layout(ctx);
        int[] shape = {3, 17, 33};
        Tensor x = random(5, 0f, 1f, shape);
        Buffer bx = up(ctx, x);
        int[][] cuts = {{0, 0, 1}, {0, 2, 3}, {1, 0, 17}, {1, 16, 17}, {1, 5, 12}, {2, 0, 1}, {2, 32, 33}, {-1, 3, 30}, {1, 4, 4}};
        for (int[] c : cuts) {
            Tensor expected = CPU.slice(x, c[0], c[1], c[2]);
            float[] got = down(ctx, layout.slice(bx, shape, c[0], c[1], c[2]), (int) expected.numel());
            assertArrayEquals(expected.floats(), got, "slice " + Arrays.toString(c));
        }
        assertRefused("[3, 18) out of range for dim 1", () -> layout.slice(bx, shape, 1, 3, 18));
        free(ctx, bx);
    }

    @Test
    void permuteAsFluxPacksAndUnpacksLatentsAndOtherOrders() {
        VulkanContext ctx = TestDevice.context();
        Layout layout = new Layout(ctx);
        Object[][] cases = {
                {new int[] {2, 3, 5, 2, 7, 2}, new int[] {0, 2, 4, 1, 3, 5}},   // pack: [B, C, h, 2, w, 2] → [B, h, w, C, 2, 2]
                {new int[] {2, 5, 7, 3, 2, 2}, new int[] {0, 3, 1, 4, 2, 5}},   // unpack: [B, h, w, C, 2, 2] → [B, C, h, 2, w, 2]
                {new int[] {1, 16, 33, 2, 17, 2}, new int[] {0, 2, 4, 1, 3, 5}},
                {new int[] {2, 3, 17, 5}, new int[] {0, 2, 1, 3}},              // [B, H, L, D] → [B, L, H, D]
                {new int[] {129}, new int[] {0}},
                {new int[] {2, 1, 3, 2, 1, 3, 2, 3}, new int[] {7, 6, 5, 4, 3, 2, 1, 0}},
                {new int[] {3, 33}, new int[] {1, 0}},
        };
        for (Object[] c : cases) {
            int[] shape = (int[]) c[0], order = (int[]) c[1];
            Tensor x = random(shape.length, 0f, 1f, shape);
            Buffer bx = up(ctx, x);
            Tensor expected = CPU.permute(x, order);
            assertArrayEquals(expected.floats(), down(ctx, layout.permute(bx, shape, order), (int) x.numel()),
                    "permute " + Arrays.toString(shape) + " by " + Arrays.toString(order));
            free(ctx, bx);
        }
        Buffer b = ctx.heap().allocate(4 * 6);
        assertRefused("invalid order [0, 0]", () -> layout.permute(b, new int[] {2, 3}, 0, 0));
        assertRefused("rank 9 > 8", () -> layout.permute(b, new int[9], 0, 1, 2, 3, 4, 5, 6, 7, 8));
        free(ctx, b);
    }

    @Test
    void upsampleNearest2xRepeatsEachPixel() {
        VulkanContext ctx = TestDevice.context();
        Layout layout = new Layout(ctx);
        for (int[] d : new int[][] {{1, 1, 1, 1}, {2, 3, 5, 7}, {1, 4, 33, 17}}) {
            Tensor x = random(d[3], 0f, 1f, d);
            Buffer bx = up(ctx, x);
            Tensor expected = CPU.upsampleNearest2x(x);
            assertArrayEquals(expected.floats(), down(ctx, layout.upsampleNearest2x(bx, d[0], d[1], d[2], d[3]), (int) expected.numel()), Arrays.toString(d));
            free(ctx, bx);
        }
    }

    @Test
    void zerosOverwriteARecycledBuffer() {
        VulkanContext ctx = TestDevice.context();
        Layout layout = new Layout(ctx);
        for (int n : new int[] {1, 257, 70_001}) {
            float[] junk = new float[n];
            Arrays.fill(junk, Float.NaN);
            ctx.heap().free(ctx.transfers().upload(junk));          // the pool hands this memory out next
            assertArrayEquals(new float[n], down(ctx, layout.zeros(n), n), "zeros(" + n + ")");
        }
    }

    @Test
    void storedHalfAndBfloatTensorsDecodeAsTheCpuDecodesThem() {
        VulkanContext ctx = TestDevice.context();
        Layout layout = new Layout(ctx);
        float[] special = {0f, -0f, 1f, -2.5f, 65504f, 6.1e-5f, 5.96e-8f, 3e-6f, -4e-7f, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.NaN, 1e38f, -1e-39f};
        for (int n : new int[] {1, 3, 33, 1001}) {
            float[] v = Arrays.copyOf(random(n, 0f, 10f, n).floats(), n);
            System.arraycopy(special, 0, v, 0, Math.min(n, special.length));
            Tensor x = Tensor.wrap(v, n);
            for (DType t : new DType[] {DType.F32, DType.F16, DType.BF16}) {
                Tensor s = stored(x, t);
                Buffer b = up(ctx, s);
                assertArrayEquals(s.toF32().floats(), down(ctx, layout.toF32(b, t, n), n), t + " n=" + n);
                free(ctx, b);
            }
        }
        Buffer b = ctx.heap().allocate(64);
        assertRefused("stored as Q4_0", () -> layout.toF32(b, DType.Q4_0, 32));
        free(ctx, b);
    }
}
