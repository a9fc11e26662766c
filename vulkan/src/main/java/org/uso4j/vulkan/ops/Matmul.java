package org.uso4j.vulkan.ops;

import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.Kernel;
import org.uso4j.vulkan.VulkanContext;

/**
 * Batched float32 matrix products on the GPU (shaders/gemm/matmul.comp, the tiled product of {@link Linear}).
 * Each call allocates its output on the context's heap, the caller frees it.
 */
public final class Matmul {
    private final VulkanContext ctx;

    public Matmul(VulkanContext ctx) { this.ctx = ctx; }

    /**
     * {@code Backend.matmul(a, b, transposeB)}: {@code a [batch, m, k] · b [batch or 1, k, n]} (with transposeB
     * {@code b [batch or 1, n, k]}) → [batch, m, n]; {@code bBroadcast}: b is one matrix used for every batch entry
     * (Checks.Matmul's bBroadcast). The caller flattens the leading dimensions into {@code batch}.
     */
    public Buffer matmul(Buffer a, Buffer b, int batch, int m, int k, int n, boolean transposeB, boolean bBroadcast) {
        Launch.sizes("matmul", batch, m, k);
        Launch.sizes("matmul", bBroadcast ? 1 : batch, k, n);
        Launch.sizes("matmul", batch, m, n);
        Launch.require(a, 4L * batch * m * k, "matmul a [" + batch + ", " + m + ", " + k + "]");
        long bMats = bBroadcast ? 1 : batch;
        Launch.require(b, 4L * bMats * k * n, "matmul b [" + bMats + ", " + (transposeB ? n + ", " + k : k + ", " + n) + "]");
        Buffer o = ctx.heap().allocate(4L * batch * m * n);
        if ((long) batch * m * n == 0) return o;
        Kernel kernel = Launch.kernel(ctx, "gemm/matmul.comp", 3, 5, transposeB ? "TRANSPOSE_B" : null);
        int gx = Launch.tiles(n, "matmul n"), gy = Launch.tiles(m, "matmul m");
        int bStride = bBroadcast ? 0 : k * n;
        for (int z = 0; z < batch; z += Launch.MAX_GROUPS) {
            int zs = Math.min(Launch.MAX_GROUPS, batch - z);
            Launch.dispatch(ctx, kernel, gx, gy, zs, new int[] {m, n, k, bStride, z}, a, b, o);
        }
        return o;
    }
}
