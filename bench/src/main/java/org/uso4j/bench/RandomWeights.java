package org.uso4j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;
import org.uso4j.core.io.WeightStore;

/**
 * Random weights at real size for benchmarks: matrices N(0, 1)/√fan_in (so activations stay O(1) and no
 * denormals slow the kernels down), norm scales 1 ± 0.05, biases ±0.05, encoded in a {@link WeightFormat}.
 * Matrices are generated and encoded in row bands on all cores (q4_k's reference quantizer is slow); the
 * encoding is row-wise, so the bands concatenate to exactly the whole-matrix encoding.
 */
public final class RandomWeights {
    /** Rows per band: a multiple of nothing in particular, small enough that bands spread over the cores. */
    private static final int BAND_ROWS = 256;

    private RandomWeights() {}

    /** A store that invents every tensor a network takes, in {@code format}, reproducibly from {@code seed}. */
    public static WeightStore store(WeightFormat format, long seed) {
        return WeightStore.generated((key, shape) -> tensor(format, seed ^ key.hashCode() * 0x9E3779B97F4A7C15L, key, shape));
    }

    /** One random tensor of {@code shape} in {@code format} (see the class comment for the distribution). */
    public static Tensor tensor(WeightFormat format, long seed, String key, int... shape) {
        if (shape.length != 2) {
            float[] v = gaussian(new SplittableRandom(seed), Math.toIntExact(Shape.of(shape).numel()), key.endsWith("scale") ? 1 : 0, 0.05);
            return Tensor.wrap(v, shape);
        }
        int rows = shape[0], cols = shape[1];
        // rows that are not whole quantization blocks stay float32 (city96's GGUF keeps such small tensors F32)
        WeightFormat enc = cols % format.dtype().blockSize() == 0 ? format : WeightFormat.F32;
        int bands = (rows + BAND_ROWS - 1) / BAND_ROWS;
        Tensor[] parts = new Tensor[bands];
        IntStream.range(0, bands).parallel().forEach(b -> {
            int r0 = b * BAND_ROWS, r1 = Math.min(rows, r0 + BAND_ROWS);
            float[] v = gaussian(new SplittableRandom(seed + 31L * b), (r1 - r0) * cols, 0, 1 / Math.sqrt(cols));
            parts[b] = enc.encode(v, r1 - r0, cols);
        });
        if (bands == 1) return parts[0];
        if (enc == WeightFormat.F32) {
            float[] all = new float[Math.multiplyExact(rows, cols)];
            int at = 0;
            for (Tensor p : parts) {
                float[] f = p.floats();
                System.arraycopy(f, 0, all, at, f.length);
                at += f.length;
            }
            return Tensor.wrap(all, rows, cols);
        }
        MemorySegment all = Arena.ofAuto().allocate(enc.dtype().byteSize((long) rows * cols), 64);
        long at = 0;
        for (Tensor p : parts) {
            long n = enc.dtype().byteSize(p.numel());
            MemorySegment.copy(p.segment(), 0, all, at, n);
            at += n;
        }
        return Tensor.of(enc.dtype(), Shape.of(rows, cols), all);
    }

    /** {@code n} values {@code mean + std·N(0, 1)} (Box–Muller). */
    public static float[] gaussian(SplittableRandom r, int n, double mean, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i += 2) {
            double u = r.nextDouble(1e-12, 1), w = 2 * Math.PI * r.nextDouble(), m = Math.sqrt(-2 * Math.log(u));
            v[i] = (float) (mean + std * m * Math.cos(w));
            if (i + 1 < n) v[i + 1] = (float) (mean + std * m * Math.sin(w));
        }
        return v;
    }
}
