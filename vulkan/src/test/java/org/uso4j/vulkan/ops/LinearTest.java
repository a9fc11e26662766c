package org.uso4j.vulkan.ops;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.uso4j.core.DType;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.TestDevice;
import org.uso4j.vulkan.VulkanContext;

/**
 * {@link Linear} against ScalarBackend: every weight dtype on odd shapes (rows and out not multiples of the 64-wide
 * tile or the 16-wide invocation grid; in a few blocks plus one), each activation, biases of each plain dtype, low-rank
 * terms of rank 1, 3 and 16. Tolerance {@link Near#dot}: float32 accumulation vs the twin's double.
 */
class LinearTest {
    private static final ScalarBackend SCALAR = new ScalarBackend();

    /** out = act(x·Wᵀ + b) on the device, read back; frees what it uploaded. */
    private static float[] device(VulkanContext ctx, Tensor x, Tensor w, Tensor bias, Activation act) {
        int rows = Math.toIntExact(x.shape().rows()), in = w.dim(1), out = w.dim(0);
        Buffer bx = ctx.transfers().upload(x.floats()), bw = TestWeights.upload(ctx, w);
        Buffer bb = bias == null ? null : TestWeights.upload(ctx, bias);
        Buffer o = new Linear(ctx).linear(bx, rows, in, bw, w.dtype(), out, bb, bias == null ? null : bias.dtype(), act);
        float[] r = ctx.transfers().readFloats(o, rows * out);
        for (Buffer b : new Buffer[] {bx, bw, bb, o}) if (b != null) ctx.heap().free(b);
        return r;
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16", "F8_E4M3", "F8_E5M2", "Q4_0", "Q4_1", "Q5_0", "Q5_1",
            "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void everyWeightDtypeOnOddShapes(DType type) {
        VulkanContext ctx = TestDevice.context();
        Random r = new Random(type.ordinal());
        int bs = type.blockSize();
        int[] ins = bs == 1 ? new int[] {1, 17, 33} : bs == 32 ? new int[] {32, 96} : new int[] {256, 512};
        int[][] shapes = {{1, 1}, {7, 17}, {33, 65}, {3, 129}};
        for (int in : ins) {
            for (int[] s : shapes) {
                int rows = s[0], out = s[1];
                Tensor x = TestWeights.f32(r, rows, in), w = TestWeights.weights(type, r, out, in);
                Tensor bias = (rows + in) % 2 == 0 ? null : TestWeights.f32(r, out);
                float[] want = SCALAR.linear(x, w, bias).floats();
                Near.assertClose(want, device(ctx, x, w, bias, null), Near.dot(in),
                        type + " rows " + rows + " in " + in + " out " + out + (bias == null ? "" : " + bias"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void everyActivationAsTheOutputIsWritten(Activation act) {
        VulkanContext ctx = TestDevice.context();
        Random r = new Random(100 + act.ordinal());
        // values spread over [-6, 6] so each nonlinearity's tails and centre are both exercised
        float[] xs = TestWeights.floats(r, 5 * 40);
        for (int i = 0; i < xs.length; i++) xs[i] *= 3;
        Tensor x = Tensor.wrap(xs, 5, 40), w = TestWeights.weights(DType.F32, r, 67, 40), bias = TestWeights.f32(r, 67);
        float[] want = SCALAR.linear(x, w, bias, act).floats();
        Near.assertClose(want, device(ctx, x, w, bias, act), Near.dot(40) + 2e-6, act.name());
        float[] plain = SCALAR.linear(x, w, bias).floats();
        boolean differs = false;
        for (int i = 0; i < plain.length; i++) differs |= Math.abs(plain[i] - want[i]) > 1e-3;
        assertTrue(differs, act + " changes some outputs (the test exercises it)");
    }

    @Test
    void biasOfEveryPlainDtype() {
        VulkanContext ctx = TestDevice.context();
        Random r = new Random(7);
        for (DType bt : new DType[] {DType.F16, DType.BF16, DType.F8_E4M3, DType.F8_E5M2}) {
            Tensor x = TestWeights.f32(r, 9, 48), w = TestWeights.weights(DType.BF16, r, 19, 48), bias = TestWeights.weights(bt, r, 19);
            Near.assertClose(SCALAR.linear(x, w, bias).floats(), device(ctx, x, w, bias, null),
                    Near.dot(48), "bias " + bt);
        }
    }

    @Test
    void lowRankTermInTheSameProduct() {
        VulkanContext ctx = TestDevice.context();
        Random r = new Random(11);
        int[][] cases = {{1, 32, 1, 1, 0}, {7, 64, 17, 3, 1}, {33, 96, 65, 16, 2}, {70, 256, 130, 16, 3}};
        DType[] weights = {DType.Q8_0, DType.F32, DType.Q4_1, DType.Q4_K};
        DType[] ups = {DType.F32, DType.BF16, DType.F16, DType.F32};
        for (int c = 0; c < cases.length; c++) {
            int rows = cases[c][0], in = cases[c][1], out = cases[c][2], rank = cases[c][3];
            Tensor x = TestWeights.f32(r, rows, in), w = TestWeights.weights(weights[c], r, out, in);
            Tensor t = TestWeights.f32(r, rows, rank), up = TestWeights.weights(ups[c], r, out, rank);
            Tensor bias = c % 2 == 0 ? TestWeights.f32(r, out) : null;
            float[] want = SCALAR.linearLowRank(x, w, bias, t, up).floats();
            Buffer bx = ctx.transfers().upload(x.floats()), bw = TestWeights.upload(ctx, w), bt = ctx.transfers().upload(t.floats());
            Buffer bu = TestWeights.upload(ctx, up), bb = bias == null ? null : ctx.transfers().upload(bias.floats());
            Buffer o = new Linear(ctx).linearLowRank(bx, rows, in, bw, w.dtype(), out, bb, DType.F32, bt, rank, bu, up.dtype());
            Near.assertClose(want, ctx.transfers().readFloats(o, rows * out), Near.dot(in + rank), "rank " + rank + " " + weights[c]);
            for (Buffer b : new Buffer[] {bx, bw, bt, bu, bb, o}) if (b != null) ctx.heap().free(b);
        }
    }

    @Test
    void realisticSize() {
        VulkanContext ctx = TestDevice.context();
        Random r = new Random(5);
        Tensor x = TestWeights.f32(r, 200, 768), w = TestWeights.weights(DType.Q8_0, r, 300, 768), bias = TestWeights.f32(r, 300);
        Near.assertClose(SCALAR.linear(x, w, bias, Activation.GELU_TANH).floats(), device(ctx, x, w, bias, Activation.GELU_TANH),
                Near.dot(768), "[200, 768] x Q8_0 [300, 768]ᵀ");
    }

    @Test
    void badOperandsAreRefusedNamingThem() {
        VulkanContext ctx = TestDevice.context();
        Linear lin = new Linear(ctx);
        Buffer x = ctx.heap().allocate(4L * 2 * 40), w = ctx.heap().allocate(DType.Q8_0.byteSize(64));
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> lin.linear(x, 2, 40, w, DType.Q8_0, 2, null, null, null));
            assertTrue(e.getMessage().contains("multiple of 32") && e.getMessage().contains("40"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> lin.linear(x, 2, 32, w, DType.Q8_0, 8, null, null, null));
            assertTrue(e.getMessage().contains("weight Q8_0 [8, 32]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> lin.linear(x, 2, 32, w, DType.I32, 2, null, null, null));
            assertTrue(e.getMessage().contains("I32"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> lin.linear(x, 2, 32, w, DType.Q8_0, 2, w, DType.Q8_0, null));
            assertTrue(e.getMessage().contains("bias must be F32"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> lin.linear(x, 2, 32, w, DType.Q8_0, 2, x, null, null));
            assertTrue(e.getMessage().contains("linear bias: its dtype is missing"), e.getMessage());
        } finally {
            ctx.heap().free(x);
            ctx.heap().free(w);
        }
    }
}
