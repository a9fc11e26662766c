package org.uso4j.vulkan.ops;

import static org.lwjgl.system.MemoryStack.stackPush;

import java.util.HashMap;
import java.util.Map;
import org.lwjgl.system.MemoryStack;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.Grid;
import org.uso4j.vulkan.Kernel;
import org.uso4j.vulkan.VulkanContext;

/**
 * FLUX's sinusoidal timestep embedding on the device (shader {@code embed/timestep.comp}). The frequencies depend only
 * on dim and maxPeriod: each table is uploaded once and kept until {@link #close}, so a step transfers nothing.
 */
public final class TimestepEmbedding implements AutoCloseable {
    private final VulkanContext ctx;
    private final Map<String, Buffer> frequencies = new HashMap<>();

    public TimestepEmbedding(VulkanContext ctx) { this.ctx = ctx; }

    /**
     * {@code Backend.timestepEmbedding}: t [N] → [N, dim]; with half = dim/2, {@code f_i = exp(-ln(maxPeriod)·i/half)}
     * (float32, computed on the host exactly as {@code org.uso4j.core.backend.Embeddings}), {@code a = (timeFactor·t)·f_i}
     * in float32, output {@code [cos a, sin a]} (zero-padded when dim is odd); cos and sin of the float angle are
     * evaluated in double on the device and rounded to float. Needs {@code shaderFloat64}.
     */
    public Buffer timestepEmbedding(Buffer t, int n, int dim, float timeFactor, float maxPeriod) {
        String op = "timestepEmbedding";
        Operands.dims(op, "[N, dim]", n, dim);
        Operands.float64(ctx, op);
        Operands.floats(op, "t [N]", t, n);
        int half = dim / 2;
        Buffer out = Operands.output(ctx, (long) n * dim);
        if ((long) n * dim == 0) return out;
        Buffer freqs = frequencies.computeIfAbsent(half + " " + maxPeriod, key -> upload(half, maxPeriod));
        long items = (long) n * Math.max(half, 1);
        Kernel kernel = ctx.kernel("embed/timestep.comp", 3, 16);
        Grid g = Grid.of(items, 256);
        try (MemoryStack stack = stackPush()) {
            var push = stack.malloc(16).putInt((int) items).putInt(half).putInt(dim).putFloat(timeFactor).flip();
            ctx.stream().dispatch(kernel, g.x(), g.y(), 1, push, t, freqs, out);
        }
        return out;
    }

    private Buffer upload(int half, float maxPeriod) {
        float logMax = (float) Math.log(maxPeriod);
        float[] freqs = new float[Math.max(half, 1)];
        for (int i = 0; i < half; i++) freqs[i] = (float) Math.exp(-logMax * (float) i / (float) half); // float32 exponent, as torch
        return ctx.transfers().uploadConstant(freqs);
    }

    /** Frees the cached frequency tables. */
    @Override
    public void close() {
        frequencies.values().forEach(ctx.heap()::free);
        frequencies.clear();
    }
}
