package org.uso4j.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.uso4j.bench.FluxFlops;
import org.uso4j.bench.RandomWeights;
import org.uso4j.bench.UsoTokens;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.CpuBackend;

/**
 * {@code Backend.attention} (softmax(q kᵀ/√d) v, no mask) at FLUX's 24 heads of 128 and the sequence lengths of
 * 256², 512² and 1024² USO runs (704 txt+style tokens + image tokens + a 512-side content reference), and RoPE.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 4)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
public class AttentionBenchmark {
    /** Image side in pixels: 256, 512 or 1024. */
    @Param({"256", "512", "1024"})
    public int size;

    @Param("24")
    public int heads;

    @Param("128")
    public int headDim;

    /** CPU threads; 0 = all processors. */
    @Param("0")
    public int threads;

    private CpuBackend be;
    private Tensor q, k, v, pe;
    private float scale;
    private double gflop, ropeGbytes;

    @Setup(Level.Trial)
    public void setup() {
        int l = UsoTokens.square(size, UsoTokens.DEFAULT_REF_SIZE).total();
        be = threads == 0 ? CpuBackend.create() : new CpuBackend(threads);
        SplittableRandom r = new SplittableRandom(1);
        int n = heads * l * headDim;
        q = Tensor.wrap(RandomWeights.gaussian(r, n, 0, 1), 1, heads, l, headDim);
        k = Tensor.wrap(RandomWeights.gaussian(r, n, 0, 1), 1, heads, l, headDim);
        v = Tensor.wrap(RandomWeights.gaussian(r, n, 0, 1), 1, heads, l, headDim);
        pe = Tensor.wrap(RandomWeights.gaussian(r, l * headDim * 2, 0, 1), 1, 1, l, headDim / 2, 2, 2);
        scale = (float) (1 / Math.sqrt(headDim));
        gflop = FluxFlops.attention(heads, l, l, headDim) / 1e9;
        ropeGbytes = 4.0 * (2.0 * n + pe.numel()) / 1e9;
    }

    @TearDown(Level.Trial)
    public void close() { be.close(); }

    @Benchmark
    public Tensor attention(Flops c) {
        c.gflop += gflop;
        return be.attention(q, k, v, scale, null, false);
    }

    @Benchmark
    public Tensor rope(Flops c) {
        c.gbytes += ropeGbytes;
        return be.rope(q, pe);
    }
}
