package org.uso4j.vulkan.ops;

import org.uso4j.core.DType;
import org.uso4j.core.backend.Activation;

/**
 * The shader variants of stored dtypes (shaders/weights.glsl): the define that selects a weight decoder, and the code of
 * a plain float type for small operands (biases, low-rank up-projections) decoded beside the weight.
 */
final class WeightTypes {
    private WeightTypes() {}

    /** {@code W_<dtype>}: the weights.glsl variant decoding {@code type}; fails naming {@code what} for integer/F64 types. */
    static String define(DType type, String what) {
        if (type == null) throw new IllegalArgumentException(what + ": its dtype is missing");
        return switch (type) {
            case F32, F16, BF16, F8_E4M3, F8_E5M2, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K -> "W_" + type.name();
            default -> throw new IllegalArgumentException(what + ": the Vulkan kernels decode F32, F16, BF16, F8_E4M3, F8_E5M2 and"
                    + " the GGML block types Q4_0..Q6_K, not " + type);
        };
    }

    /** weights.glsl's PLAIN_* code of an element-wise float type (F32 0, F16 1, BF16 2, F8_E4M3 3, F8_E5M2 4). */
    static int plainCode(DType type, String what) {
        if (type == null) throw new IllegalArgumentException(what + ": its dtype is missing");
        return switch (type) {
            case F32 -> 0;
            case F16 -> 1;
            case BF16 -> 2;
            case F8_E4M3 -> 3;
            case F8_E5M2 -> 4;
            default -> throw new IllegalArgumentException(what + " must be F32, F16, BF16, F8_E4M3 or F8_E5M2 on Vulkan, got " + type);
        };
    }

    /** weights.glsl's PLAIN_NONE: no such operand. */
    static final int NONE = -1;

    /** The plain code of an optional operand: {@link #NONE} when {@code buffer} is null. */
    static int optionalCode(Object buffer, DType type, String what) { return buffer == null ? NONE : plainCode(type, what); }

    /** activation.glsl's ACT_* code of {@code act}; 0 (ACT_NONE) for null. */
    static int activation(Activation act) {
        if (act == null) return 0;
        return switch (act) {
            case SILU -> 1;
            case GELU_TANH -> 2;
            case GELU_ERF -> 3;
            case QUICK_GELU -> 4;
            case RELU -> 5;
        };
    }

    /** Bytes of {@code count} elements of {@code type}; fails unless they are whole blocks. */
    static long bytes(DType type, long count) { return type.byteSize(count); }

    /** Fails unless a row of {@code in} elements is a whole number of {@code type}'s blocks. */
    static void requireWholeBlocks(DType type, long in, String what) {
        if (in % type.blockSize() != 0) {
            throw new IllegalArgumentException(what + ": " + type + " rows must be a multiple of " + type.blockSize() + " elements, got " + in);
        }
    }
}
