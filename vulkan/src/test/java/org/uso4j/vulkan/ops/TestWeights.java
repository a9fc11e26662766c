package org.uso4j.vulkan.ops;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.uso4j.core.DType;
import org.uso4j.core.FloatFormats;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.VulkanContext;

/** Test tensors of every stored dtype (as core Tensors, which ScalarBackend decodes) and their device copies. */
final class TestWeights {
    /** Every dtype the Vulkan kernels decode. */
    static final DType[] DECODED = {DType.F32, DType.F16, DType.BF16, DType.F8_E4M3, DType.F8_E5M2, DType.Q4_0, DType.Q4_1,
            DType.Q5_0, DType.Q5_1, DType.Q8_0, DType.Q2_K, DType.Q3_K, DType.Q4_K, DType.Q5_K, DType.Q6_K};

    private TestWeights() {}

    /** Uniform floats in [-1, 1). */
    static float[] floats(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = 2 * r.nextFloat() - 1;
        return v;
    }

    static Tensor f32(Random r, int... dims) { return Tensor.wrap(floats(r, Math.toIntExact(Shape.of(dims).numel())), dims); }

    /**
     * Weights of {@code type} with values of order 1: plain types are uniform [-1, 1) floats rounded to the type; block
     * types are random bytes (every quant pattern) with block scales/mins set to halves in [0.004, 0.03).
     */
    static Tensor weights(DType type, Random r, int... dims) {
        Shape s = Shape.of(dims);
        int n = Math.toIntExact(s.numel());
        if (type == DType.F32) return f32(r, dims);
        MemorySegment seg = Arena.ofAuto().allocate(Math.max(1, type.byteSize(n))).asSlice(0, type.byteSize(n));
        float[] v = floats(r, n);
        switch (type) {
            case F16 -> { for (int i = 0; i < n; i++) putShort(seg, 2L * i, Float.floatToFloat16(v[i])); }
            case BF16 -> { for (int i = 0; i < n; i++) putShort(seg, 2L * i, FloatFormats.floatToBf16(v[i])); }
            case F8_E4M3 -> { for (int i = 0; i < n; i++) seg.set(ValueLayout.JAVA_BYTE, i, FloatFormats.floatToE4M3(v[i])); }
            case F8_E5M2 -> { for (int i = 0; i < n; i++) seg.set(ValueLayout.JAVA_BYTE, i, FloatFormats.floatToE5M2(v[i])); }
            default -> {
                randomBytes(seg, r);
                for (long b = 0; b < seg.byteSize(); b += type.bytesPerBlock()) {
                    for (int at : halves(type)) putShort(seg, b + at, Float.floatToFloat16(0.004f + 0.026f * r.nextFloat()));
                }
            }
        }
        return Tensor.of(type, s, seg);
    }

    /**
     * Any bit pattern of {@code type}: random bytes, so every code of the plain types (NaN, infinities, subnormals,
     * -0) and any finite block scale (inf/NaN halves replaced) occur; for decoding exactly as core does.
     */
    static Tensor anyBits(DType type, Random r, int... dims) {
        Shape s = Shape.of(dims);
        long bytes = type.byteSize(s.numel());
        MemorySegment seg = Arena.ofAuto().allocate(bytes);
        randomBytes(seg, r);
        if (type.isQuantized()) {
            for (long b = 0; b < bytes; b += type.bytesPerBlock()) {
                for (int at : halves(type)) {
                    short h = seg.get(ValueLayout.JAVA_SHORT_UNALIGNED, b + at);
                    if ((h & 0x7C00) == 0x7C00) putShort(seg, b + at, (short) (h & ~0x4000)); // exponent 31 → 15
                }
            }
        }
        return Tensor.of(type, s, seg);
    }

    /** Byte offsets of the half-float fields (d, m, dmin) in one block of {@code type} (ggml-common.h). */
    static int[] halves(DType type) {
        return switch (type) {
            case Q4_0, Q5_0, Q8_0 -> new int[] {0};
            case Q4_1, Q5_1, Q4_K, Q5_K -> new int[] {0, 2};
            case Q2_K -> new int[] {80, 82};
            case Q3_K -> new int[] {108};
            case Q6_K -> new int[] {208};
            default -> new int[0];
        };
    }

    static Buffer upload(VulkanContext ctx, Tensor t) { return ctx.transfers().upload(t.segment()); }

    private static void putShort(MemorySegment seg, long at, short v) {
        seg.set(ValueLayout.JAVA_BYTE, at, (byte) v);
        seg.set(ValueLayout.JAVA_BYTE, at + 1, (byte) (v >>> 8));
    }

    private static void randomBytes(MemorySegment seg, Random r) {
        byte[] b = new byte[Math.toIntExact(seg.byteSize())];
        r.nextBytes(b);
        MemorySegment.copy(b, 0, seg, ValueLayout.JAVA_BYTE, 0, b.length);
    }
}
