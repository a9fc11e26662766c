package org.uso4j.bench;

/**
 * One kernel timed at one shape inside the block benchmark.
 *
 * @param name    what ran (e.g. {@code linear single.linear1})
 * @param shape   human-readable shape, e.g. {@code [2752, 3072] x [21504, 3072]^T}
 * @param flops   floating-point operations per run (multiply-add = 2), 0 where not meaningful
 * @param bytes   bytes read plus written per run (activations as float32, weights as stored)
 * @param samples timed runs
 */
public record KernelTiming(String name, String shape, double flops, double bytes, Samples samples) {
    public double seconds() { return samples.median(); }

    /** GFLOP/s at the median time, or NaN when no flop count is meaningful (memory-bound kernels). */
    public double gflops() { return flops > 0 ? flops / seconds() / 1e9 : Double.NaN; }

    /** Effective bandwidth in GB/s at the median time. */
    public double gbPerSecond() { return bytes / seconds() / 1e9; }
}
