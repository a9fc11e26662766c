package org.uso4j.vulkan.ops;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.TestDevice;
import org.uso4j.vulkan.VulkanContext;

/**
 * Timestep embedding against ScalarBackend: the same float32 frequencies and float32 angle, cos and sin of that angle in
 * double rounded once, so the two agree to a float ulp (asserted ≤ 1.2e-7 absolute; the values are in [-1, 1]).
 */
class TimestepEmbeddingTest {
    private static final ScalarBackend SCALAR = new ScalarBackend();

    @Test
    void matchesScalarForEvenOddAndTinyDims() {
        VulkanContext ctx = TestDevice.context();
        float[] t = {0f, 1f, 0.5f, 0.123f, 0.999f, 0.0371f, 1e-4f, 0.75f, 0.3f, 0.6f, 0.9f, 0.2f, 0.01f, 0.33f, 0.66f, 0.45f, 1.5f};
        try (TimestepEmbedding emb = new TimestepEmbedding(ctx)) {
            int[][] cases = {{17, 256}, {5, 3}, {1, 1}, {17, 257}, {3, 2}};
            for (int[] c : cases) {
                int n = c[0], dim = c[1];
                float[] ts = java.util.Arrays.copyOf(t, n);
                float[] expected = SCALAR.timestepEmbedding(Tensor.wrap(ts, n), dim, 1000f, 10000f).floats();
                Buffer bt = ctx.transfers().upload(ts);
                Buffer out = emb.timestepEmbedding(bt, n, dim, 1000f, 10000f);
                float[] got = ctx.transfers().readFloats(out, n * dim);
                ctx.heap().free(bt);
                ctx.heap().free(out);
                for (int i = 0; i < got.length; i++) {
                    assertEquals(expected[i], got[i], Math.ulp(1f), "N " + n + ", dim " + dim + ", element " + i);
                }
                if (dim % 2 == 1) assertEquals(0f, got[dim - 1], 0f, "odd dim: the last column is zero");
            }
        }
    }

    @Test
    void theFrequenciesAreUploadedOnce() {
        VulkanContext ctx = TestDevice.context();
        Buffer bt = ctx.transfers().upload(new float[] {0.5f});
        try (TimestepEmbedding emb = new TimestepEmbedding(ctx)) {
            ctx.heap().free(emb.timestepEmbedding(bt, 1, 64, 1000f, 10000f));
            long uploads = ctx.transfers().constants();
            ctx.heap().free(emb.timestepEmbedding(bt, 1, 64, 1000f, 10000f));
            assertEquals(uploads, ctx.transfers().constants());
        }
        ctx.heap().free(bt);
    }
}
