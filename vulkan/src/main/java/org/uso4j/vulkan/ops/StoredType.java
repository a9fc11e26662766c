package org.uso4j.vulkan.ops;

import org.uso4j.core.DType;
import org.uso4j.vulkan.Buffer;

/**
 * The stored element types the small per-channel tensors (norm weights and biases) and {@code Layout.toF32} decode
 * in their shaders: F32, F16 and BF16, read from the raw checkpoint bytes by {@code dtype.glsl}'s LOAD_* macros.
 */
final class StoredType {
    private StoredType() {}

    /** The define {@code MACRO=LOAD_<dtype>} that makes a shader decode {@code dtype}; fails naming the operand. */
    static String load(String macro, DType dtype, String op, String what) {
        return macro + "=LOAD_" + check(dtype, op, what).name();
    }

    /** Fails unless {@code b} holds {@code n} elements of {@code dtype}. */
    static void fits(String op, String what, Buffer b, DType dtype, long n) {
        Launch.fits(op, what + " (" + dtype + ")", b, check(dtype, op, what).byteSize(n));
    }

    private static DType check(DType dtype, String op, String what) {
        if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
            throw new IllegalArgumentException(op + ": " + what + " is stored as " + dtype + "; the Vulkan backend decodes F32, F16 or BF16 here");
        }
        return dtype;
    }
}
