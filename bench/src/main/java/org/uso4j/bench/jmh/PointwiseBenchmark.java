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
import org.uso4j.bench.RandomWeights;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.CpuBackend;

/**
 * The memory-bound kernels of a FLUX block at 512² USO token counts (2752 tokens): LayerNorm followed by the
 * modulation {@code (1 + scale)·x + shift}, the tanh GELU of the MLP, and the gated residual. Reported in GB/s
 * (float32 activations read plus written; DRAM here ≈ 23 GB/s, but [2752, 3072] floats fit in L3).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
public class PointwiseBenchmark {
    @Param("2752")
    public int tokens;

    @Param("3072")
    public int hidden;

    @Param("12288")
    public int mlpHidden;

    /** CPU threads; 0 = all processors. */
    @Param("0")
    public int threads;

    private CpuBackend be;
    private Tensor x, mlp, shift, scale, gate;

    @Setup(Level.Trial)
    public void setup() {
        be = threads == 0 ? CpuBackend.create() : new CpuBackend(threads);
        SplittableRandom r = new SplittableRandom(1);
        x = Tensor.wrap(RandomWeights.gaussian(r, tokens * hidden, 0, 1), 1, tokens, hidden);
        mlp = Tensor.wrap(RandomWeights.gaussian(r, tokens * mlpHidden, 0, 1), 1, tokens, mlpHidden);
        shift = Tensor.wrap(RandomWeights.gaussian(r, hidden, 0, 0.1), 1, hidden);
        scale = Tensor.wrap(RandomWeights.gaussian(r, hidden, 0, 0.1), 1, hidden);
        gate = Tensor.wrap(RandomWeights.gaussian(r, hidden, 0, 0.1), 1, hidden);
    }

    @TearDown(Level.Trial)
    public void close() { be.close(); }

    /** LayerNorm (no affine, eps 1e-6) then modulate: what every FLUX block does before attention and MLP. */
    @Benchmark
    public Tensor layerNormModulate(Flops c) {
        c.gbytes += 4.0 * 4 * x.numel() / 1e9;
        return be.modulate(be.layerNorm(x, null, null, 1e-6f), shift, scale);
    }

    @Benchmark
    public Tensor geluTanh(Flops c) {
        c.gbytes += 4.0 * 2 * mlp.numel() / 1e9;
        return be.activate(mlp, Activation.GELU_TANH);
    }

    @Benchmark
    public Tensor addGated(Flops c) {
        c.gbytes += 4.0 * 3 * x.numel() / 1e9;
        return be.addGated(x, gate, x);
    }
}
