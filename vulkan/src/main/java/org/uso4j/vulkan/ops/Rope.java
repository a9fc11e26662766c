package org.uso4j.vulkan.ops;

import static org.lwjgl.system.MemoryStack.stackPush;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.lwjgl.system.MemoryStack;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.Grid;
import org.uso4j.vulkan.Kernel;
import org.uso4j.vulkan.VulkanContext;

/**
 * Rotary position embeddings on the device (shaders {@code embed/rope.comp}, {@code embed/rope_table.comp}): applying
 * a table, and building it from token ids (FLUX {@code EmbedND}). The frequency tables depend only on θ and the axes,
 * so each is uploaded once and kept until {@link #close}: building a table per step transfers nothing.
 */
public final class Rope implements AutoCloseable {
    private final VulkanContext ctx;
    private final Map<String, Buffer> frequencies = new HashMap<>();

    public Rope(VulkanContext ctx) { this.ctx = ctx; }

    /**
     * {@code Backend.rope} (FLUX {@code apply_rope}): x [B, H, L, D] (D even), pe [peBatch, 1, L, D/2, 2, 2] with peBatch 1
     * (shared by every batch) or B; for each pair k {@code o[2k] = pe[k,0,0]·x[2k] + pe[k,0,1]·x[2k+1]},
     * {@code o[2k+1] = pe[k,1,0]·x[2k] + pe[k,1,1]·x[2k+1]}. Returns [B, H, L, D].
     */
    public Buffer rope(Buffer x, int batch, int heads, int len, int d, Buffer pe, int peBatch) {
        String op = "rope";
        Operands.dims(op, "[B, H, L, D]", batch, heads, len, d);
        if (d % 2 != 0) throw new IllegalArgumentException(op + ": D must be even, got " + d);
        if (peBatch != 1 && peBatch != batch) throw new IllegalArgumentException(op + ": pe batch must be 1 or B = " + batch + ", got " + peBatch);
        long pairs = (long) batch * heads * len * (d / 2);
        Operands.floats(op, "x [B, H, L, D]", x, 2 * pairs);
        Operands.floats(op, "pe [" + peBatch + ", 1, L, D/2, 2, 2]", pe, (long) peBatch * len * d * 2);
        Buffer out = Operands.output(ctx, 2 * pairs);
        if (pairs == 0) return out;
        Kernel kernel = ctx.kernel("embed/rope.comp", 3, 20);
        Grid g = Grid.of(pairs, 256);
        try (MemoryStack stack = stackPush()) {
            var push = stack.malloc(20).putInt((int) pairs).putInt(d / 2).putInt(len).putInt(heads).putInt(peBatch == 1 ? 0 : 1).flip();
            ctx.stream().dispatch(kernel, g.x(), g.y(), 1, push, x, pe, out);
        }
        return out;
    }

    /**
     * FLUX {@code EmbedND} (today {@code org.uso4j.model.flux.EmbedNd} on the host): ids [B, L, nAxes] float → pe
     * [B, 1, L, Σ(d_a/2), 2, 2]. Per axis a with d_a = axesDim[a], {@code ω_j = 1/θ^(2j/d_a)} (double, on the host),
     * angle = id_a·ω_j in double, {@code [[cos, −sin], [sin, cos]]} rounded to float; axes concatenated along the pairs.
     * Needs {@code shaderFloat64}.
     */
    public Buffer ropeTable(Buffer ids, int batch, int len, double theta, int[] axesDim) {
        String op = "ropeTable";
        Operands.dims(op, "[B, L]", batch, len);
        Operands.dims(op, "axesDim", axesDim);
        Operands.float64(ctx, op);
        int half = 0;
        for (int a : axesDim) half += a / 2;
        long tokens = (long) batch * len;
        Operands.floats(op, "ids [B, L, " + axesDim.length + "]", ids, tokens * axesDim.length);
        Buffer out = Operands.output(ctx, tokens * half * 4);
        if (tokens * half == 0) return out;
        Buffer freqs = frequencies.computeIfAbsent(theta + " " + Arrays.toString(axesDim), key -> upload(theta, axesDim));
        Kernel kernel = ctx.kernel("embed/rope_table.comp", 3, 12);
        Grid g = Grid.of(tokens * half, 256);
        try (MemoryStack stack = stackPush()) {
            var push = stack.malloc(12).putInt((int) (tokens * half)).putInt(half).putInt(axesDim.length).flip();
            ctx.stream().dispatch(kernel, g.x(), g.y(), 1, push, ids, freqs, out);
        }
        return out;
    }

    /** rope_table.comp's {@code Freq[]}: per pair {double ω, uint axis, uint pad} (16 bytes, std430), ω as the reference. */
    private Buffer upload(double theta, int[] axesDim) {
        try (Arena arena = Arena.ofConfined()) {
            int half = 0;
            for (int a : axesDim) half += a / 2;
            MemorySegment table = arena.allocate(16L * half, 8);
            int j = 0;
            for (int a = 0; a < axesDim.length; a++) {
                // scale = arange(0, d, 2, float64) / d; omega = 1 / theta**scale
                for (int i = 0; i < axesDim[a] / 2; i++, j++) {
                    table.set(ValueLayout.JAVA_DOUBLE, 16L * j, 1.0 / Math.pow(theta, (2.0 * i) / axesDim[a]));
                    table.set(ValueLayout.JAVA_INT, 16L * j + 8, a);
                }
            }
            return ctx.transfers().uploadConstant(table);
        }
    }

    /** Frees the cached frequency tables. */
    @Override
    public void close() {
        frequencies.values().forEach(ctx.heap()::free);
        frequencies.clear();
    }
}
