package org.uso4j.vulkan.ops;

import static org.lwjgl.system.MemoryStack.stackPush;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.Kernel;
import org.uso4j.vulkan.VulkanContext;
import org.lwjgl.system.MemoryStack;

/** Recording an op's dispatch: push constants from ints, operand size checks, kernel variants from optional defines. */
final class Launch {
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

    /** Fails unless {@code b} holds at least {@code bytes}, naming the operand. */
    static void require(Buffer b, long bytes, String what) {
        if (b == null) throw new IllegalArgumentException(what + " is missing");
        if (b.bytes() < bytes) throw new IllegalArgumentException(what + " holds " + b.bytes() + " bytes, the shape needs " + bytes);
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
