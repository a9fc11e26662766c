package org.uso4j.vulkan.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.function.Executable;
import org.uso4j.core.DType;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.VulkanContext;

/** Host tensors to device buffers and back for the op tests, and the comparison they all make against ScalarBackend. */
final class DeviceTensors {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private DeviceTensors() {}

    /** Gaussian values (scaled by {@code sigma}, shifted by {@code mean}) of the given shape. */
    static Tensor random(long seed, float mean, float sigma, int... dims) {
        Random r = new Random(seed);
        float[] v = new float[Math.toIntExact(Shape.of(dims).numel())];
        for (int i = 0; i < v.length; i++) v[i] = mean + sigma * (float) r.nextGaussian();
        return Tensor.wrap(v, dims);
    }

    /** {@code t}'s values stored as F16 or BF16 (rounded by Java's float16 conversion / truncated to bf16), or t itself for F32. */
    static Tensor stored(Tensor t, DType dtype) {
        if (dtype == DType.F32) return t;
        float[] v = t.floats();
        MemorySegment bytes = MemorySegment.ofArray(new byte[2 * v.length]);
        for (int i = 0; i < v.length; i++) {
            short s = dtype == DType.F16 ? Float.floatToFloat16(v[i]) : (short) (Float.floatToRawIntBits(v[i]) >>> 16);
            bytes.setAtIndex(I16, i, s);
        }
        return Tensor.of(dtype, t.shape(), bytes);
    }

    /** A device buffer with t's stored bytes (null for null). */
    static Buffer up(VulkanContext ctx, Tensor t) { return t == null ? null : ctx.transfers().upload(t.segment()); }

    /** The first n floats of {@code b}; frees b. */
    static float[] down(VulkanContext ctx, Buffer b, int n) {
        try {
            return ctx.transfers().readFloats(b, n);
        } finally {
            ctx.heap().free(b);
        }
    }

    static void free(VulkanContext ctx, Buffer... buffers) {
        for (Buffer b : buffers) if (b != null) ctx.heap().free(b);
    }

    /**
     * Fails unless every element satisfies {@code |actual - expected| ≤ rel · |expected| + abs} (NaN matches NaN only,
     * infinities match exactly), naming the worst element. Returns the largest relative error seen (for reports).
     */
    static double assertClose(float[] expected, float[] actual, double rel, double abs, String what) {
        if (expected.length != actual.length) fail(what + ": " + actual.length + " elements, expected " + expected.length);
        double worstRel = 0;
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i], a = actual[i];
            if (Float.isNaN(e) || Float.isNaN(a) || Float.isInfinite(e) || Float.isInfinite(a)) {
                if (Float.compare(e, a) != 0 && !(Float.isNaN(e) && Float.isNaN(a))) fail(what + ": element " + i + " is " + a + ", expected " + e);
                continue;
            }
            double err = Math.abs((double) a - e);
            if (err > rel * Math.abs(e) + abs) fail(what + ": element " + i + " is " + a + ", expected " + e + " (error " + err + ", allowed " + (rel * Math.abs(e) + abs) + ")");
            if (e != 0) worstRel = Math.max(worstRel, err / Math.abs(e));
        }
        return worstRel;
    }

    /** Fails unless {@code call} throws an IllegalArgumentException whose message contains {@code fragment}. */
    static void assertRefused(String fragment, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
