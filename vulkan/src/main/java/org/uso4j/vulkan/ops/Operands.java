package org.uso4j.vulkan.ops;

import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.VulkanContext;

/** Argument checks the op classes share: a clear error naming the op and operand before anything is recorded. */
final class Operands {
    private Operands() {}

    /** {@code b} holds at least {@code floats} float32 values. */
    static void floats(String op, String name, Buffer b, long floats) {
        if (b == null) throw new IllegalArgumentException(op + ": " + name + " is null");
        if (b.bytes() < 4 * floats) {
            throw new IllegalArgumentException(op + ": " + name + " holds " + b.bytes() + " bytes, the shape needs " + floats
                    + " floats (" + 4 * floats + " bytes)");
        }
    }

    /** Every dimension ≥ 0 (and named when not). */
    static void dims(String op, String names, int... dims) {
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException(op + ": dimensions " + names + " must be ≥ 0, got " + java.util.Arrays.toString(dims));
        }
    }

    /** The device can run shaders in double precision ({@code shaderFloat64}). */
    static void float64(VulkanContext ctx, String op) {
        if (!ctx.float64()) {
            throw new UnsupportedOperationException(op + " needs double precision in shaders (shaderFloat64), which "
                    + ctx.info().id() + " (" + ctx.info().name() + ") lacks");
        }
    }

    /** A new output buffer of {@code floats} float32 values (one word at least: a buffer cannot be empty). */
    static Buffer output(VulkanContext ctx, long floats) { return ctx.heap().allocate(4 * Math.max(1, floats)); }
}
