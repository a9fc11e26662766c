package org.uso4j.bench;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Locale;
import org.uso4j.core.DType;
import org.uso4j.core.FloatFormats;
import org.uso4j.core.Quantize;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;

/**
 * The weight formats a benchmark can store its random matrices in, with how a float32 matrix is encoded into
 * each: bf16 by rounding ({@link FloatFormats}), fp8 as e4m3fn and q8_0 / q4_k with ggml's reference quantizers
 * ({@link Quantize}). Vectors (biases, norm scales) stay float32, as in city96's GGUF files.
 */
public enum WeightFormat {
    F32(DType.F32), BF16(DType.BF16), FP8(DType.F8_E4M3), Q8_0(DType.Q8_0), Q4_K(DType.Q4_K);

    private final DType dtype;

    WeightFormat(DType dtype) { this.dtype = dtype; }

    public DType dtype() { return dtype; }

    /** The name used on the command line and in JSON: f32, bf16, fp8, q8_0, q4_k. */
    public String cliName() { return name().toLowerCase(Locale.ROOT); }

    /** Parses a command-line name (case-insensitive); fails listing the accepted names. */
    public static WeightFormat parse(String s) {
        for (WeightFormat f : values()) if (f.cliName().equalsIgnoreCase(s)) return f;
        throw new IllegalArgumentException("unknown weight dtype '" + s + "': expected one of "
                + Arrays.stream(values()).map(WeightFormat::cliName).toList());
    }

    /** {@code values} (row-major, {@code dims}) stored in this format; rank-1 tensors stay float32. */
    public Tensor encode(float[] values, int... dims) {
        Tensor f32 = Tensor.wrap(values, dims);
        if (dims.length < 2) return f32;
        return switch (this) {
            case F32 -> f32;
            case BF16 -> {
                short[] bf = new short[values.length];
                for (int i = 0; i < bf.length; i++) bf[i] = FloatFormats.floatToBf16(values[i]);
                yield Tensor.of(DType.BF16, Shape.of(dims), MemorySegment.ofArray(bf));
            }
            case FP8 -> Quantize.e4m3(f32);
            case Q8_0 -> Quantize.q8_0(f32);
            case Q4_K -> Quantize.q4_K(f32);
        };
    }
}
