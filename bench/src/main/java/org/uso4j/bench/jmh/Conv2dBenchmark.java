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
import org.uso4j.bench.WeightFormat;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.CpuBackend;

/**
 * {@code Backend.conv2d} 3×3, stride 1, pad 1, float32 weights, at the FLUX VAE decoder's resolutions for a 512²
 * image: 512 channels at 64² and 128², 256 channels at 256², 128 channels at 512² (and GroupNorm(32) at the same
 * shapes). Shape = channels x side.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
public class Conv2dBenchmark {
    @Param({"512x64", "512x128", "256x256", "128x512"})
    public String shape;

    /** CPU threads; 0 = all processors. */
    @Param("0")
    public int threads;

    private CpuBackend be;
    private Tensor x, w, b, gnW, gnB;
    private double gflop, gnGbytes;

    @Setup(Level.Trial)
    public void setup() {
        String[] p = shape.split("x");
        int ch = Integer.parseInt(p[0]), side = Integer.parseInt(p[1]);
        be = threads == 0 ? CpuBackend.create() : new CpuBackend(threads);
        x = Tensor.wrap(RandomWeights.gaussian(new SplittableRandom(1), ch * side * side, 0, 1), 1, ch, side, side);
        float[] wv = RandomWeights.gaussian(new SplittableRandom(2), ch * ch * 9, 0, 1 / Math.sqrt(9.0 * ch));
        w = WeightFormat.F32.encode(wv, ch, ch, 3, 3);
        b = RandomWeights.tensor(WeightFormat.F32, 3, "bias", ch);
        gnW = RandomWeights.tensor(WeightFormat.F32, 4, "scale", ch);
        gnB = RandomWeights.tensor(WeightFormat.F32, 5, "bias", ch);
        gflop = 2.0 * ch * ch * 9 * side * side / 1e9;
        gnGbytes = 4.0 * 2 * x.numel() / 1e9;
    }

    @TearDown(Level.Trial)
    public void close() { be.close(); }

    @Benchmark
    public Tensor conv3x3(Flops c) {
        c.gflop += gflop;
        return be.conv2d(x, w, b, 1, new int[]{1, 1, 1, 1});
    }

    @Benchmark
    public Tensor groupNorm(Flops c) {
        c.gbytes += gnGbytes;
        return be.groupNorm(x, 32, gnW, gnB, 1e-6f);
    }
}
