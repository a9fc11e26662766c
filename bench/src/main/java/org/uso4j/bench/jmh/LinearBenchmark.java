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
import org.uso4j.bench.WeightFormat;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.CpuBackend;

/**
 * {@code Backend.linear} (GEMM, weights decoded in the kernel) at the FLUX block shapes of a 512² USO run
 * (2048 image+reference tokens, 2752 in the single blocks), per weight format. Shape = rows x in x out.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
public class LinearBenchmark {
    /** f32, bf16, fp8, q8_0, q4_k. */
    @Param({"f32", "bf16", "fp8", "q8_0", "q4_k"})
    public String dtype;

    /**
     * rows x in x out: double-block img qkv, img mlp.0, img mlp.2 (2048 tokens); single-block linear1 and linear2
     * (2752 tokens); one token through a modulation (GEMV, memory-bound).
     */
    @Param({"2048x3072x9216", "2048x3072x12288", "2048x12288x3072", "2752x3072x21504", "2752x15360x3072", "1x3072x18432"})
    public String shape;

    /** CPU threads; 0 = all processors. */
    @Param("0")
    public int threads;

    private CpuBackend be;
    private Tensor x, w, b;
    private double gflop, gbytes;

    @Setup(Level.Trial)
    public void setup() {
        String[] p = shape.split("x");
        int rows = Integer.parseInt(p[0]), in = Integer.parseInt(p[1]), out = Integer.parseInt(p[2]);
        WeightFormat f = WeightFormat.parse(dtype);
        be = threads == 0 ? CpuBackend.create() : new CpuBackend(threads);
        x = Tensor.wrap(RandomWeights.gaussian(new SplittableRandom(1), rows * in, 0, 1), 1, rows, in);
        w = RandomWeights.tensor(f, 2, "w", out, in);
        b = RandomWeights.tensor(f, 3, "bias", out);
        gflop = FluxFlops.linear(rows, in, out) / 1e9;
        gbytes = (4.0 * rows * (in + out) + w.dtype().byteSize(w.numel())) / 1e9;
    }

    @TearDown(Level.Trial)
    public void close() { be.close(); }

    @Benchmark
    public Tensor linear(Flops c) {
        c.gflop += gflop;
        c.gbytes += gbytes;
        return be.linear(x, w, b);
    }
}
