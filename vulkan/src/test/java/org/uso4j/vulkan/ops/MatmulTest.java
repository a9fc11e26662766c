package org.uso4j.vulkan.ops;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Checks;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.TestDevice;
import org.uso4j.vulkan.VulkanContext;

/**
 * {@link Matmul} against ScalarBackend.matmul: batched, b per batch entry or broadcast, b transposed or not, on sizes
 * that are not multiples of the 64-wide tile, the 16-deep k step or the 16×16 invocation grid. Tolerance
 * {@link Near#dot}: float32 accumulation vs the twin's double.
 */
class MatmulTest {
    private static final ScalarBackend SCALAR = new ScalarBackend();

    private static void check(VulkanContext ctx, Random r, int[] aDims, int[] bDims, boolean transposeB) {
        Tensor a = TestWeights.f32(r, aDims), b = TestWeights.f32(r, bDims);
        Checks.Matmul m = Checks.matmul(a, b, transposeB);
        float[] want = SCALAR.matmul(a, b, transposeB).floats();
        boolean broadcast = b.numel() == (long) m.k() * m.n() && m.batch() != 1;
        Buffer ba = ctx.transfers().upload(a.floats()), bb = ctx.transfers().upload(b.floats());
        Buffer o = new Matmul(ctx).matmul(ba, bb, m.batch(), m.m(), m.k(), m.n(), transposeB, broadcast);
        Near.assertClose(want, ctx.transfers().readFloats(o, want.length), Near.dot(m.k()),
                a.shape() + " x " + b.shape() + (transposeB ? "ᵀ" : ""));
        for (Buffer x : new Buffer[] {ba, bb, o}) ctx.heap().free(x);
    }

    @Test
    void batchedWithAndWithoutTranspose() {
        VulkanContext ctx = TestDevice.context();
        Random r = new Random(3);
        for (boolean tb : new boolean[] {false, true}) {
            check(ctx, r, new int[] {1, 1}, new int[] {1, 1}, tb);
            check(ctx, r, new int[] {3, 17}, tb ? new int[] {33, 17} : new int[] {17, 33}, tb);
            check(ctx, r, new int[] {2, 3, 65, 19}, tb ? new int[] {2, 3, 129, 19} : new int[] {2, 3, 19, 129}, tb);
            check(ctx, r, new int[] {5, 33, 7}, tb ? new int[] {1, 70, 7} : new int[] {1, 7, 70}, tb); // b broadcast
            check(ctx, r, new int[] {4, 130, 64}, tb ? new int[] {4, 90, 64} : new int[] {4, 64, 90}, tb);
        }
    }

    @Test
    void attentionSizedProduct() {
        VulkanContext ctx = TestDevice.context();
        check(ctx, new Random(4), new int[] {6, 200, 64}, new int[] {6, 300, 64}, true);
    }

    @Test
    void tooSmallOperandIsRefused() {
        VulkanContext ctx = TestDevice.context();
        Buffer a = ctx.heap().allocate(4L * 100 * 100), b = ctx.heap().allocate(4L * 100);
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Matmul(ctx).matmul(a, b, 1, 100, 100, 100, false, false));
            assertTrue(e.getMessage().contains("matmul b [1, 100, 100]"), e.getMessage());
        } finally {
            ctx.heap().free(a);
            ctx.heap().free(b);
        }
    }
}
