package org.uso4j.core.backend.cpu.simd;

import static org.uso4j.core.backend.cpu.simd.VectorMath.F;
import static org.uso4j.core.backend.cpu.simd.VectorMath.FL;

import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.FloatVector;

/**
 * The measured float32 FMA peak of this machine: each thread runs {@value #CHAINS} independent fused-multiply-add
 * chains on registers at the kernels' vector width (enough to cover the FMA latency of two pipes), no memory
 * traffic. A benchmark's GFLOP/s divided by this is its fraction of what the cores can do at this width.
 */
public final class FmaPeak {
    private FmaPeak() {}

    /** Independent chains per thread (12 accumulators + 2 operands fit 16 registers). */
    public static final int CHAINS = 12;
    private static final int INNER = 1 << 20;

    /** Float32 GFLOP/s of {@code threads} threads together, best of {@code rounds} runs of about {@code seconds} each. */
    public static double gflops(int threads, double seconds, int rounds) {
        chains(INNER / 16); // compile before timing
        long iters = calibrate(seconds);
        double best = 0;
        for (int r = 0; r < rounds; r++) {
            List<Thread> ts = new ArrayList<>();
            float[] sink = new float[threads]; // each thread's result, read by no one: keeps its chains from being removed
            long t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    float s = 0;
                    for (long i = 0; i < iters; i += INNER) s += chains(INNER);
                    sink[id] = s;
                }, "fma-peak-" + t);
                th.start();
                ts.add(th);
            }
            for (Thread th : ts) {
                try {
                    th.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            double flops = 2.0 * CHAINS * FL * ((iters + INNER - 1) / INNER * INNER) * threads;
            best = Math.max(best, flops / secs / 1e9);
        }
        return best;
    }

    /** Iterations of {@link #chains} that take about {@code seconds} on one thread. */
    private static long calibrate(double seconds) {
        long n = INNER;
        while (true) {
            long t0 = System.nanoTime();
            for (long i = 0; i < n; i += INNER) chains(INNER);
            double s = (System.nanoTime() - t0) / 1e9;
            if (s > seconds / 4 || n > (1L << 40)) return (long) Math.max(INNER, n * seconds / Math.max(s, 1e-9));
            n *= 4;
        }
    }

    /** {@value #CHAINS} chains of n FMAs each; returns a value depending on all of them. */
    private static float chains(int n) {
        FloatVector x = FloatVector.broadcast(F, 0.999999f), y = FloatVector.broadcast(F, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(F, 1f), a1 = a0.add(1e-3f), a2 = a0.add(2e-3f), a3 = a0.add(3e-3f),
                a4 = a0.add(4e-3f), a5 = a0.add(5e-3f), a6 = a0.add(6e-3f), a7 = a0.add(7e-3f), a8 = a0.add(8e-3f),
                a9 = a0.add(9e-3f), a10 = a0.add(1e-2f), a11 = a0.add(1.1e-2f);
        for (int i = 0; i < n; i++) {
            a0 = a0.fma(x, y); a1 = a1.fma(x, y); a2 = a2.fma(x, y); a3 = a3.fma(x, y);
            a4 = a4.fma(x, y); a5 = a5.fma(x, y); a6 = a6.fma(x, y); a7 = a7.fma(x, y);
            a8 = a8.fma(x, y); a9 = a9.fma(x, y); a10 = a10.fma(x, y); a11 = a11.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).lane(0);
    }
}
