package org.uso4j.core.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import org.uso4j.core.DType;
import org.uso4j.core.FloatFormats;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;

/** Test fixtures: random tensors, stored-dtype weights, and CPU-vs-scalar comparisons. */
public final class Twins {
    private Twins() {}

    public static final ScalarBackend SCALAR = new ScalarBackend();
    /** Thread counts every op is run with; outputs must be bitwise equal across them. */
    public static final int[] THREADS = {1, 2, 3};

    public static Tensor randn(Random r, int... dims) {
        float[] v = new float[Math.toIntExact(Shape.of(dims).numel())];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return Tensor.wrap(v, dims);
    }

    /** {@code t · s} (a new dense tensor). */
    public static Tensor scaled(Tensor t, float s) {
        float[] v = copy(t);
        for (int i = 0; i < v.length; i++) v[i] *= s;
        return Tensor.wrap(v, t.dims());
    }

    /** Values of {@code dense} stored as {@code type} in a byte array (a non-dense tensor, as read from a file). */
    public static Tensor stored(DType type, Tensor dense) {
        float[] v = dense.floats();
        ByteBuffer bb = ByteBuffer.allocate(Math.toIntExact(type.byteSize(v.length))).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            switch (type) {
                case F32 -> bb.putFloat(f);
                case BF16 -> bb.putShort(FloatFormats.floatToBf16(f));
                case F16 -> bb.putShort(FloatFormats.floatToF16(f));
                case F8_E4M3 -> bb.put(FloatFormats.floatToE4M3(f));
                case F8_E5M2 -> bb.put(FloatFormats.floatToE5M2(f));
                default -> throw new IllegalArgumentException("no encoder for " + type);
            }
        }
        return Tensor.of(type, dense.shape(), MemorySegment.ofArray(bb.array()));
    }

    /**
     * A {@code [rows, cols]} weight of GGML block type {@code type} with random quants and small random scales
     * (every half-precision d/m/dmin field set to ±[0.005, 0.02)), so decoded values are finite.
     */
    public static Tensor randomBlocks(DType type, Random r, int rows, int cols) {
        int blocks = Math.toIntExact((long) rows * cols / type.blockSize()), bpb = type.bytesPerBlock();
        byte[] raw = new byte[blocks * bpb];
        r.nextBytes(raw);
        int[] halves = switch (type) {
            case Q4_0, Q5_0, Q8_0 -> new int[] {0};
            case Q4_1, Q5_1, Q4_K, Q5_K -> new int[] {0, 2};
            case Q2_K -> new int[] {80, 82};
            case Q3_K -> new int[] {108};
            case Q6_K -> new int[] {208};
            default -> throw new IllegalArgumentException(type + " is not a block type");
        };
        for (int b = 0; b < blocks; b++) {
            for (int at : halves) {
                short h = FloatFormats.floatToF16((float) ((r.nextBoolean() ? 1 : -1) * (0.005 + 0.015 * r.nextDouble())));
                raw[b * bpb + at] = (byte) h;
                raw[b * bpb + at + 1] = (byte) (h >>> 8);
            }
        }
        return Tensor.of(type, Shape.of(rows, cols), MemorySegment.ofArray(raw));
    }

    /** Runs {@code op} on the CPU backend with 1, 2 and 3 threads (bitwise equal) and returns the result. */
    public static Tensor onCpu(Function<Backend, Tensor> op) {
        Tensor first = null;
        for (int t : THREADS) {
            try (CpuBackend cpu = new CpuBackend(t)) {
                Tensor out = op.apply(cpu);
                if (first == null) {
                    first = out;
                } else {
                    assertEquals(first.shape(), out.shape());
                    assertArrayEquals(first.floats(), out.floats(), "result differs with " + t + " threads");
                }
            }
        }
        return first;
    }

    /** CPU (any thread count) equals the scalar twin within {@code rtol}·max|expected| + atol, element by element. */
    public static void close(Function<Backend, Tensor> op, double rtol, double atol, String what) {
        Tensor expected = op.apply(SCALAR), actual = onCpu(op);
        assertEquals(expected.shape(), actual.shape(), what);
        float[] e = expected.floats(), a = actual.floats();
        double scale = 0;
        for (float v : e) scale = Math.max(scale, Math.abs(v));
        double tol = rtol * scale + atol;
        for (int i = 0; i < e.length; i++) {
            boolean bothNaN = Float.isNaN(e[i]) && Float.isNaN(a[i]);
            if (!bothNaN && !(Math.abs(a[i] - e[i]) <= tol) && e[i] != a[i]) {
                fail(what + ": element " + i + " of " + expected.shape() + ": cpu " + a[i] + " vs scalar " + e[i]
                        + " (tolerance " + tol + ")");
            }
        }
    }

    /** CPU equals the scalar twin bit for bit (kernels that use the twin's float operations in its order). */
    public static void exact(Function<Backend, Tensor> op, String what) {
        Tensor expected = op.apply(SCALAR), actual = onCpu(op);
        assertEquals(expected.shape(), actual.shape(), what);
        assertArrayEquals(expected.floats(), actual.floats(), what);
    }

    public static float[] copy(Tensor t) { return Arrays.copyOf(t.floats(), t.floats().length); }
}
