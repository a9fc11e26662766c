package org.uso4j.pipeline.random;

import java.lang.foreign.MemorySegment;
import org.uso4j.core.DType;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;

/**
 * The initial latent noise of a generation, seed for seed as the official code draws it on the CPU.
 * Port of {@code uso/flux/sampling.py get_noise}.
 */
public final class LatentNoise {
    /** FLUX latent channels. */
    public static final int CHANNELS = 16;

    private LatentNoise() {}

    /** The noise shape {@code [num, 16, 2*ceil(height/16), 2*ceil(width/16)]}. */
    public static Shape shape(int num, int height, int width) {
        if (num < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("get_noise needs num, height, width >= 1, got " + num + ", " + height + ", " + width);
        }
        return Shape.of(num, CHANNELS, 2 * ceilDiv16(height), 2 * ceilDiv16(width));
    }

    /**
     * {@code get_noise(num, height, width, device="cpu", dtype, seed)} =
     * {@code torch.randn(num, 16, 2*ceil(h/16), 2*ceil(w/16), dtype, generator=Generator("cpu").manual_seed(seed))}.
     * {@code dtype} is F32 or BF16 (the pipeline's dtype); the result has that dtype.
     */
    public static Tensor getNoise(int num, int height, int width, DType dtype, long seed, CpuCapability capability) {
        Shape shape = shape(num, height, width);
        return randn(shape, dtype, new TorchRandom(seed), capability);
    }

    /** {@code torch.randn(shape, dtype, generator)} from an existing generator (its state advances). */
    public static Tensor randn(Shape shape, DType dtype, TorchRandom generator, CpuCapability capability) {
        int n = Math.toIntExact(shape.numel());
        return switch (dtype) {
            case F32 -> Tensor.wrap(generator.randn(n, capability), shape.dims());
            case BF16 -> bf16Tensor(generator.randnBf16(n), shape);
            default -> throw new IllegalArgumentException("randn supports F32 and BF16, not " + dtype);
        };
    }

    /** A BF16 tensor over little-endian copies of {@code bits}. */
    static Tensor bf16Tensor(short[] bits, Shape shape) {
        byte[] bytes = new byte[bits.length * 2];
        for (int i = 0; i < bits.length; i++) {
            bytes[2 * i] = (byte) bits[i];
            bytes[2 * i + 1] = (byte) (bits[i] >> 8);
        }
        return Tensor.of(DType.BF16, shape, MemorySegment.ofArray(bytes));
    }

    /** {@code math.ceil(x / 16)} for a positive int (Python's true division then ceil; exact for ints < 2^53). */
    private static int ceilDiv16(int x) { return (x + 15) / 16; }
}
