package org.uso4j.vulkan.ops;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.uso4j.core.DType;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.TestDevice;
import org.uso4j.vulkan.VulkanContext;

/**
 * {@link Conv2d} against ScalarBackend.conv2d / conv2dUpsampled2x: odd image sizes, strides 1 and 2, symmetric and
 * asymmetric padding, 1×1 and non-square kernels, batch > 1, bias null / non-null, weights in plain and block dtypes.
 * Tolerance {@link Near#dot} of the Cin·kh·kw-long sums.
 */
class Conv2dTest {
    private static final ScalarBackend SCALAR = new ScalarBackend();

    /**
     * Runs one convolution; block-typed weights are made flat (their rows are blocks, not kernel rows) and the twin gets
     * them decoded to float32 in [Cout, Cin, kh, kw].
     */
    private static void check(VulkanContext ctx, Random r, DType type, int[] x, int[] w, int stride, int[] pad, boolean up, boolean bias) {
        Tensor xt = TestWeights.f32(r, x);
        long numel = (long) w[0] * w[1] * w[2] * w[3];
        Tensor stored = type.isQuantized()
                ? TestWeights.weights(type, r, Math.toIntExact(numel / type.blockSize()), type.blockSize())
                : TestWeights.weights(type, r, w);
        Tensor wt = stored.toF32().reshape(w);
        Tensor bt = bias ? TestWeights.f32(r, w[0]) : null;
        float[] want = (up ? SCALAR.conv2dUpsampled2x(xt, wt, bt, pad) : SCALAR.conv2d(xt, wt, bt, stride, pad)).floats();
        Conv2d.Shape s = new Conv2d.Shape(x[0], x[1], x[2], x[3], w[0], w[2], w[3]);
        Buffer bx = ctx.transfers().upload(xt.floats()), bw = TestWeights.upload(ctx, stored);
        Buffer bb = bias ? ctx.transfers().upload(bt.floats()) : null;
        Conv2d conv = new Conv2d(ctx);
        Buffer o = up ? conv.conv2dUpsampled2x(bx, s, bw, type, bb, DType.F32, pad)
                : conv.conv2d(bx, s, bw, type, bb, DType.F32, stride, pad);
        String what = type + " x " + java.util.Arrays.toString(x) + " w " + java.util.Arrays.toString(w) + " stride " + stride
                + " pad " + java.util.Arrays.toString(pad) + (up ? " upsampled" : "") + (bias ? " + bias" : "");
        Near.assertClose(want, ctx.transfers().readFloats(o, want.length), Near.dot((long) w[1] * w[2] * w[3]), what);
        for (Buffer b : new Buffer[] {bx, bw, bb, o}) if (b != null) ctx.heap().free(b);
    }

    @Test
    void oddShapesStridesAndPadding() {
        VulkanContext ctx = TestDevice.context();
        Random r = new Random(1);
        check(ctx, r, DType.F32, new int[] {1, 1, 1, 1}, new int[] {1, 1, 1, 1}, 1, new int[] {0, 0, 0, 0}, false, false);
        check(ctx, r, DType.F32, new int[] {2, 3, 17, 9}, new int[] {5, 3, 3, 3}, 1, new int[] {1, 1, 1, 1}, false, true);
        check(ctx, r, DType.F32, new int[] {1, 4, 33, 20}, new int[] {7, 4, 3, 3}, 2, new int[] {0, 0, 1, 1}, false, true);
        check(ctx, r, DType.F32, new int[] {2, 70, 5, 7}, new int[] {65, 70, 1, 1}, 1, new int[] {0, 0, 0, 0}, false, false);
        check(ctx, r, DType.F32, new int[] {1, 2, 6, 13}, new int[] {3, 2, 4, 2}, 3, new int[] {2, 0, 1, 3}, false, true);
    }

    @Test
    void upsampledInputReadThroughTheIndexing() {
        VulkanContext ctx = TestDevice.context();
        Random r = new Random(2);
        check(ctx, r, DType.F32, new int[] {2, 3, 5, 7}, new int[] {4, 3, 3, 3}, 1, new int[] {1, 1, 1, 1}, true, true);
        check(ctx, r, DType.F32, new int[] {1, 17, 1, 3}, new int[] {33, 17, 3, 3}, 1, new int[] {1, 0, 0, 0}, true, false);
        check(ctx, r, DType.F16, new int[] {1, 8, 9, 4}, new int[] {4, 8, 3, 3}, 1, new int[] {1, 2, 0, 1}, true, true);
    }

    @Test
    void weightDtypes() {
        VulkanContext ctx = TestDevice.context();
        Random r = new Random(3);
        for (DType t : new DType[] {DType.F16, DType.BF16, DType.F8_E4M3, DType.F8_E5M2}) {
            check(ctx, r, t, new int[] {2, 3, 11, 6}, new int[] {5, 3, 3, 3}, 1, new int[] {1, 1, 1, 1}, false, true);
        }
        check(ctx, r, DType.Q8_0, new int[] {1, 8, 10, 7}, new int[] {4, 8, 3, 3}, 2, new int[] {1, 1, 1, 1}, false, true);
        check(ctx, r, DType.Q4_K, new int[] {1, 32, 9, 11}, new int[] {8, 32, 3, 3}, 1, new int[] {1, 1, 1, 1}, true, false);
    }

    @Test
    void realisticSize() {
        VulkanContext ctx = TestDevice.context();
        check(ctx, new Random(4), DType.F32, new int[] {1, 64, 32, 32}, new int[] {64, 64, 3, 3}, 1, new int[] {1, 1, 1, 1}, false, true);
    }

    @Test
    void badShapesAreRefused() {
        VulkanContext ctx = TestDevice.context();
        Buffer x = ctx.heap().allocate(4L * 3 * 4 * 4), w = ctx.heap().allocate(4L * 2 * 3 * 9);
        Conv2d conv = new Conv2d(ctx);
        Conv2d.Shape s = new Conv2d.Shape(1, 3, 4, 4, 2, 5, 5);
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> conv.conv2d(x, s, w, DType.F32, null, null, 1, new int[] {0, 0, 0, 0}));
            assertTrue(e.getMessage().contains("larger than the padded input"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> conv.conv2d(x, s, w, DType.F32, null, null, 1, new int[] {1, 1}));
            assertTrue(e.getMessage().contains("{top, left, bottom, right}"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> conv.conv2d(x, new Conv2d.Shape(1, 3, 4, 4, 2, 3, 3), w, DType.Q8_0, null, null, 1, new int[] {1, 1, 1, 1}));
            assertTrue(e.getMessage().contains("multiple of 32"), e.getMessage());
        } finally {
            ctx.heap().free(x);
            ctx.heap().free(w);
        }
    }
}
