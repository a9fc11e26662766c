package org.uso4j.vulkan;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uso4j.core.DType;
import org.uso4j.core.Quantize;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.backend.DeviceBackend;
import org.uso4j.core.backend.ScalarBackend;

/**
 * The Backend contract on Vulkan: every op through VulkanBackend (Tensor in, Tensor out: the glue's shapes,
 * broadcasts and dtypes) against ScalarBackend on awkward shapes, and the memory rules (adopt once, scopes free,
 * use after free refused, no transfer between ops on device tensors).
 */
class VulkanBackendTest {
    private static VulkanBackend vk;
    private static final ScalarBackend ref = new ScalarBackend();
    private final Random rnd = new Random(3);

    @BeforeAll
    static void open() {
        TestDevice.context(); // skips the class where no Vulkan device exists
        vk = VulkanBackend.open(0, new VulkanContext.Options(0, ShaderCompiler.defaultCacheFolder()), false);
    }

    @AfterAll
    static void close() { if (vk != null) vk.close(); }

    private Tensor rand(int... dims) {
        Tensor t = Tensor.zeros(dims);
        float[] v = t.floats();
        for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
        return t;
    }

    /** op on the device (inputs uploaded first) against op on the scalar twin. */
    private void same(String what, double tol, BiFunction<Backend, List<Tensor>, Tensor> op, Tensor... inputs) {
        Tensor expected = op.apply(ref, List.of(inputs));
        List<Tensor> dev = new java.util.ArrayList<>();
        for (Tensor t : inputs) dev.add(vk.toDevice(t));
        Tensor got;
        try (Backend.Scope s = vk.scope()) {
            got = vk.toHost(op.apply(vk, dev));
        }
        assertArrayEquals(expected.dims(), got.dims(), what + ": shape");
        float[] e = expected.floats(), g = got.floats();
        double scale = 0;
        for (float x : e) scale = Math.max(scale, Math.abs(x));
        for (int i = 0; i < e.length; i++) {
            if (Float.isNaN(e[i])) { assertTrue(Float.isNaN(g[i]), what + " element " + i); continue; }
            assertEquals(e[i], g[i], tol * (1 + scale), what + " element " + i);
        }
    }

    @Test
    void productsMatchTheScalarTwin() {
        Tensor x = rand(2, 5, 33), w = rand(17, 33), b = rand(17), t = rand(2, 5, 3), up = rand(17, 3);
        same("linear", 1e-5, (be, in) -> be.linear(in.get(0), in.get(1), in.get(2)), x, w, b);
        same("linear gelu", 1e-5, (be, in) -> be.linear(in.get(0), in.get(1), null, Activation.GELU_TANH), x, w);
        same("linearLowRank", 1e-5, (be, in) -> be.linearLowRank(in.get(0), in.get(1), in.get(2), in.get(3), in.get(4)), x, w, b, t, up);
        Tensor wq = Quantize.q8_0(rand(9, 64));
        Tensor xq = rand(3, 64);
        Tensor expected = ref.linear(xq, wq, null);
        Tensor got = vk.toHost(vk.linear(vk.toDevice(xq), vk.adopt(wq), null));
        assertArrayEquals(expected.floats(), got.floats(), 1e-4f, "Q8_0 weight adopted in its stored bytes");
        same("matmul", 1e-5, (be, in) -> be.matmul(in.get(0), in.get(1), false), rand(2, 3, 7, 5), rand(2, 3, 5, 9));
        same("matmul bT", 1e-5, (be, in) -> be.matmul(in.get(0), in.get(1), true), rand(2, 7, 5), rand(9, 5));
        same("conv2d", 1e-5, (be, in) -> be.conv2d(in.get(0), in.get(1), in.get(2), 2, new int[] {0, 1, 1, 0}), rand(2, 3, 9, 7), rand(4, 3, 3, 3), rand(4));
        same("conv2dUpsampled2x", 1e-5, (be, in) -> be.conv2dUpsampled2x(in.get(0), in.get(1), null, new int[] {1, 1, 1, 1}), rand(1, 3, 5, 4), rand(2, 3, 3, 3));
        same("embedding", 0, (be, in) -> be.embedding(in.get(0), new long[] {3, 0, 3, 6}), rand(7, 10));
    }

    @Test
    void normsAndPointwiseMatchTheScalarTwin() {
        Tensor x = rand(2, 3, 37), c = rand(37);
        same("layerNorm", 1e-5, (be, in) -> be.layerNorm(in.get(0), in.get(1), in.get(2), 1e-6f), x, c, rand(37));
        same("layerNorm plain", 1e-5, (be, in) -> be.layerNorm(in.get(0), null, null, 1e-6f), x);
        same("rmsNorm", 1e-5, (be, in) -> be.rmsNorm(in.get(0), in.get(1), 1e-6f), x, c);
        same("groupNorm swish", 1e-5, (be, in) -> be.groupNorm(in.get(0), 4, in.get(1), in.get(2), 1e-6f, Activation.SILU),
                rand(2, 8, 5, 3), rand(8), rand(8));
        for (Activation a : Activation.values()) same("activate " + a, 1e-5, (be, in) -> be.activate(in.get(0), a), x);
        same("add", 0, (be, in) -> be.add(in.get(0), in.get(1)), x, c);
        same("mul", 0, (be, in) -> be.mul(in.get(0), in.get(1)), x, rand(3, 37));
        same("scale", 0, (be, in) -> be.scale(in.get(0), 0.3f), x);
        same("addScaled", 0, (be, in) -> be.addScaled(in.get(0), in.get(1), -0.25f), x, rand(2, 3, 37));
        same("modulate", 0, (be, in) -> be.modulate(in.get(0), in.get(1), in.get(2)), x, rand(2, 37), rand(2, 37));
        same("addGated", 0, (be, in) -> be.addGated(in.get(0), in.get(1), in.get(2)), x, rand(2, 37), rand(2, 3, 37));
        same("gaussianSample", 1e-6, (be, in) -> be.gaussianSample(in.get(0), in.get(1), in.get(2)), rand(1, 4, 3, 5), rand(1, 4, 3, 5), rand(1, 4, 3, 5));
        same("softmax", 1e-6, (be, in) -> be.softmax(in.get(0)), x);
        Tensor bad = rand(3, 5);
        bad.floats()[7] = Float.NaN;
        assertFalse(vk.allFinite(vk.toDevice(bad)));
        assertTrue(vk.allFinite(vk.toDevice(x)));
        assertArrayEquals(new float[6], vk.toHost(vk.zeros(2, 3)).floats());
    }

    @Test
    void layoutAttentionAndEmbeddingsMatchTheScalarTwin() {
        same("concat", 0, (be, in) -> be.concat(1, in), rand(2, 3, 4), rand(2, 1, 4), rand(2, 5, 4));
        same("concat last", 0, (be, in) -> be.concat(-1, in), rand(2, 3), rand(2, 1));
        same("slice", 0, (be, in) -> be.slice(in.get(0), 2, 1, 4), rand(2, 3, 5));
        same("permute", 0, (be, in) -> be.permute(in.get(0), 0, 2, 4, 1, 3, 5), rand(1, 3, 2, 2, 3, 2));
        same("upsample", 0, (be, in) -> be.upsampleNearest2x(in.get(0)), rand(1, 2, 3, 5));
        same("rope", 1e-6, (be, in) -> be.rope(in.get(0), in.get(1)), rand(2, 3, 7, 8), rand(1, 1, 7, 4, 2, 2));
        same("attention", 1e-5, (be, in) -> be.attention(in.get(0), in.get(1), in.get(2), 0.3f, in.get(3), false),
                rand(2, 3, 5, 8), rand(2, 3, 9, 8), rand(2, 3, 9, 6), rand(1, 3, 5, 9));
        same("attention long", 1e-5, (be, in) -> be.attention(in.get(0), in.get(1), in.get(2), 0.17677669f, null, false),
                rand(1, 1, 3200, 32), rand(1, 1, 3200, 32), rand(1, 1, 3200, 32));
        same("attention causal", 1e-5, (be, in) -> be.attention(in.get(0), in.get(1), in.get(2), 0.3f, null, true),
                rand(1, 2, 6, 4), rand(1, 2, 6, 4), rand(1, 2, 6, 4));
        same("timestepEmbedding", 1e-6, (be, in) -> be.timestepEmbedding(in.get(0), 17, 1000f, 10000f), Tensor.wrap(new float[] {0.5f, 1f, 0.02f}, 3));
        Tensor ids = Tensor.zeros(1, 6, 3);
        for (int i = 0; i < 18; i++) ids.floats()[i] = i % 5;
        same("ropeTable", 0, (be, in) -> be.ropeTable(in.get(0), 10000, new int[] {4, 6, 6}), ids);
    }

    @Test
    void scopesFreeWhatTheyDoNotKeepAndUseAfterFreeIsRefused() {
        long live = vk.liveActivations();
        Tensor x = vk.toDevice(rand(4, 8)), kept, dropped;
        try (Backend.Scope outer = vk.scope()) {
            try (Backend.Scope inner = vk.scope()) {
                dropped = vk.scale(x, 2f);
                kept = inner.keep(vk.add(x, x));
            }
            assertEquals(4, kept.dim(0));
            Tensor finalKept = kept;
            assertEquals(32, vk.toHost(finalKept).floats().length);
            Tensor d = dropped;
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> vk.scale(d, 1f));
            assertTrue(e.getMessage().contains("freed when its scope closed"), e.getMessage());
        }
        Tensor k = kept;
        assertThrows(IllegalStateException.class, () -> vk.toHost(k));
        assertEquals(live + 1, vk.liveActivations(), "only x (made outside any scope) is still alive");
    }

    @Test
    void opsOnDeviceTensorsTransferNothingAndWeightsUploadOnce() {
        Tensor w = vk.adopt(rand(16, 32));
        Tensor x = vk.toDevice(rand(3, 32));
        DeviceBackend.Counters before = vk.counters();
        try (Backend.Scope s = vk.scope()) {
            Tensor y = vk.linear(x, w, null, Activation.GELU_TANH);
            y = vk.layerNorm(y, null, null, 1e-6f);
            y = vk.addScaled(y, y, 0.5f);
            vk.softmax(y);
        }
        DeviceBackend.Counters d = vk.counters().minus(before);
        assertEquals(0, d.transfers(), "ops on device tensors: " + d);
        Tensor host = rand(3, 32);
        try (Backend.Scope s = vk.scope()) {
            vk.linear(host, w, null);
        }
        assertEquals(1, vk.counters().minus(before).uploads(), "a host tensor given to an op is one counted upload");
    }
}
