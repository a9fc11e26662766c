package org.uso4j.vulkan.ops;

import static org.lwjgl.system.MemoryStack.stackPush;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.lwjgl.system.MemoryStack;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.Grid;
import org.uso4j.vulkan.Kernel;
import org.uso4j.vulkan.VulkanContext;

/**
 * How the op classes record their kernels: push constants given as 32-bit words (floats as their bits, see
 * {@link #bits}), elementwise kernels ({@code local_size_x = 256}, one invocation per item over a {@link Grid}),
 * per-row kernels (one work group per row over a 2-D grid) and tiled products (64-wide tiles). Also the bounds
 * checks every op makes on its buffers and sizes.
 */
final class Launch {
    /** {@code local_size_x} of every elementwise shader. */
    static final int LOCAL = 256;
    /** Output tile of shaders/gemm/tile.glsl. */
    static final int TILE = 64;
    static final int MAX_GROUPS = 65535;

    private Launch() {}

    /** Records {@code kernel} over groups x·y·z with {@code push} as 32-bit words. */
    static void dispatch(VulkanContext ctx, Kernel kernel, int x, int y, int z, int[] push, Buffer... buffers) {
        try (MemoryStack stack = stackPush()) {
            ByteBuffer p = stack.malloc(4 * push.length);
            for (int v : push) p.putInt(v);
            ctx.stream().dispatch(kernel, x, y, z, p.flip(), buffers);
        }
    }

    /** {@code kernel} over {@code items} invocations. */
    static void items(VulkanContext ctx, Kernel kernel, long items, int[] push, Buffer... buffers) {
        Grid g = Grid.of(items, LOCAL);
        dispatch(ctx, kernel, g.x(), g.y(), 1, push, buffers);
    }

    /** {@code kernel} over {@code rows} work groups (flattened as x + y · groupsX by the shader). */
    static void rows(VulkanContext ctx, Kernel kernel, long rows, int[] push, Buffer... buffers) {
        Grid g = Grid.of(rows, 1);
        dispatch(ctx, kernel, g.x(), g.y(), 1, push, buffers);
    }

    /** Work groups covering {@code n} items with 64-wide tiles; fails naming {@code what} beyond one dispatch's reach. */
    static int tiles(long n, String what) {
        long t = (n + TILE - 1) / TILE;
        if (t > MAX_GROUPS) throw new IllegalArgumentException(what + ": " + n + " is more than one dispatch covers (" + (long) MAX_GROUPS * TILE + ")");
        return (int) Math.max(1, t);
    }

    /** The kernel of {@code shader} with the non-null {@code defines}. */
    static Kernel kernel(VulkanContext ctx, String shader, int bindings, int pushWords, String... defines) {
        List<String> d = new ArrayList<>();
        for (String s : defines) if (s != null) d.add(s);
        return ctx.kernel(shader, bindings, 4 * pushWords, d.toArray(String[]::new));
    }

    /** Fails when a kernel that gives each batch element a work-group layer (z) gets more than a dispatch holds. */
    static void perBatch(String op, int batch) {
        if (batch > MAX_GROUPS) throw new IllegalArgumentException(op + ": batch " + batch + " exceeds one dispatch (" + MAX_GROUPS + ")");
    }

    static int bits(float f) { return Float.floatToRawIntBits(f); }

    /** A new float32 buffer of {@code n} elements. */
    static Buffer floats(VulkanContext ctx, long n) { return ctx.heap().allocate(4 * n); }

    /** Fails unless {@code b} holds at least {@code bytes}, naming the operand. */
    static void require(Buffer b, long bytes, String what) {
        if (b == null) throw new IllegalArgumentException(what + " is missing");
        if (b.bytes() < bytes) throw new IllegalArgumentException(what + " holds " + b.bytes() + " bytes, the shape needs " + bytes);
    }

    /** {@link #require} for operand {@code what} of {@code op}. */
    static void fits(String op, String what, Buffer b, long bytes) { require(b, bytes, op + ": " + what); }

    /** {@code fits} for a float32 operand of {@code n} elements. */
    static void floats(String op, String what, Buffer b, long n) { fits(op, what, b, 4 * n); }

    static void positive(String op, String what, long v) {
        if (v <= 0) throw new IllegalArgumentException(op + ": " + what + " must be ≥ 1, got " + v);
    }

    /** Fails unless every size is ≥ 0 and their product (an operand's element count) fits the shaders' 32-bit indices. */
    static void sizes(String what, long... dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) throw new IllegalArgumentException(what + ": negative size " + d);
            n = Math.min(n * d, 1L << 40);
        }
        if (n > 0xFFFF_FFFFL) throw new IllegalArgumentException(what + ": " + java.util.Arrays.toString(dims) + " is more than 2^32 elements for 32-bit shader indices");
    }
}
