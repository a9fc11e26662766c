package org.uso4j.vulkan.ops;

import static org.lwjgl.system.MemoryStack.stackPush;

import java.nio.ByteBuffer;
import org.lwjgl.system.MemoryStack;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.Grid;
import org.uso4j.vulkan.Kernel;
import org.uso4j.vulkan.VulkanContext;

/**
 * How the op classes record their kernels: push constants given as 32-bit words (floats as their bits, see
 * {@link #bits}), elementwise kernels ({@code local_size_x = 256}, one invocation per item over a {@link Grid}) and
 * per-row kernels (one work group per row over a 2-D grid). Also the bounds checks every op makes on its buffers.
 */
final class Launch {
    /** {@code local_size_x} of every elementwise shader. */
    static final int LOCAL = 256;

    private Launch() {}

    /** {@code kernel} over {@code items} invocations. */
    static void items(VulkanContext ctx, Kernel kernel, long items, int[] push, Buffer... buffers) {
        Grid g = Grid.of(items, LOCAL);
        groups(ctx, kernel, g.x(), g.y(), push, buffers);
    }

    /** {@code kernel} over {@code rows} work groups (flattened as x + y · groupsX by the shader). */
    static void rows(VulkanContext ctx, Kernel kernel, long rows, int[] push, Buffer... buffers) {
        Grid g = Grid.of(rows, 1);
        groups(ctx, kernel, g.x(), g.y(), push, buffers);
    }

    static void groups(VulkanContext ctx, Kernel kernel, int groupsX, int groupsY, int[] push, Buffer... buffers) {
        groups(ctx, kernel, groupsX, groupsY, 1, push, buffers);
    }

    static void groups(VulkanContext ctx, Kernel kernel, int groupsX, int groupsY, int groupsZ, int[] push, Buffer... buffers) {
        try (MemoryStack stack = stackPush()) {
            ByteBuffer p = stack.malloc(4 * push.length);
            for (int w : push) p.putInt(w);
            ctx.stream().dispatch(kernel, groupsX, groupsY, groupsZ, p.flip(), buffers);
        }
    }

    /** Fails when a kernel that gives each batch element a work-group layer (z) gets more than a dispatch holds. */
    static void perBatch(String op, int batch) {
        if (batch > 65535) throw new IllegalArgumentException(op + ": batch " + batch + " exceeds one dispatch (65535)");
    }

    static int bits(float f) { return Float.floatToRawIntBits(f); }

    /** A new float32 buffer of {@code n} elements. */
    static Buffer floats(VulkanContext ctx, long n) { return ctx.heap().allocate(4 * n); }

    /** Fails unless {@code b} holds at least {@code bytes} bytes ({@code what} names the operand). */
    static void fits(String op, String what, Buffer b, long bytes) {
        if (b == null) throw new IllegalArgumentException(op + ": " + what + " is null");
        if (b.bytes() < bytes) throw new IllegalArgumentException(op + ": " + what + " has " + b.bytes() + " bytes, the shape needs " + bytes);
    }

    /** {@code fits} for a float32 operand of {@code n} elements. */
    static void floats(String op, String what, Buffer b, long n) { fits(op, what, b, 4 * n); }

    static void positive(String op, String what, long v) {
        if (v <= 0) throw new IllegalArgumentException(op + ": " + what + " must be ≥ 1, got " + v);
    }
}
