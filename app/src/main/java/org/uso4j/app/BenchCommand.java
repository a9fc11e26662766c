package org.uso4j.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.uso4j.bench.BlockBench;
import org.uso4j.bench.BlockBenchResult;
import org.uso4j.bench.DitMemoryProbe;
import org.uso4j.bench.SyntheticFluxGguf;
import org.uso4j.bench.SyntheticUsoModel;
import org.uso4j.bench.UsoTokens;
import org.uso4j.bench.WeightFormat;
import org.uso4j.bench.jmh.KernelBenchmarks;
import org.uso4j.core.backend.CpuBackend;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code uso4j bench}: speed and memory benchmarks (the harness lives in the bench module). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks: FLUX blocks at real width (blocks) and JMH kernel benchmarks (kernels).",
        subcommands = {BenchCommand.Blocks.class, BenchCommand.Peak.class, BenchCommand.Kernels.class, BenchCommand.Dit.class, BenchCommand.SynthFlux.class,
                BenchCommand.SynthModel.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(System.out); }

    @Command(name = "blocks", mixinStandardHelpOptions = true, description = "Times one FLUX double block, one single block and attention at the token counts of a USO run"
            + " (random weights in the given dtype), extrapolates per step and per 25-step image, reports peak RSS; writes JSON.")
    static final class Blocks implements Callable<Integer> {
        @Option(names = "--size", defaultValue = "512", description = "image side: 256, 512 or 1024 (any multiple of 16)") int size;
        @Option(names = "--ref-size", defaultValue = "" + UsoTokens.DEFAULT_REF_SIZE,
                description = "content reference long side (USO's content_ref; 0 = no reference)") int refSize;
        @Option(names = "--dtype", defaultValue = "bf16", description = "weights: f32, bf16, fp8, q8_0 or q4_k") String dtype;
        @Option(names = "--warmup", defaultValue = "1", description = "untimed runs of each piece") int warmup;
        @Option(names = "--reps", defaultValue = "3", description = "timed runs of each piece (medians are reported)") int reps;
        @Option(names = "--no-kernels", description = "skip the per-kernel timings") boolean noKernels;
        @Option(names = "--threads", description = "CPU threads (default: all processors)") Integer threads;
        @Option(names = "--precision", defaultValue = "f32", converter = PrecisionOption.Converter.class,
                description = PrecisionOption.DESCRIPTION + " (default here: f32)")
        PrecisionOption precision;
        @CommandLine.Mixin DeviceOption device;
        @Option(names = "--seed", defaultValue = "1", description = "seed of the random weights and inputs") long seed;
        @Option(names = "--json", paramLabel = "FILE", description = "write the results as JSON") Path json;

        @Override public Integer call() throws Exception {
            BlockBench.Options o = new BlockBench.Options(size, refSize, WeightFormat.parse(dtype), warmup, reps, !noKernels, seed);
            try (CpuBackend be = BackendChoice.of(device, threads, precision, false).cpu()) {
                BlockBenchResult r = BlockBench.run(o, be, System.err);
                r.print(System.out);
                if (json != null) {
                    r.write(json);
                    System.out.println("  wrote " + json);
                }
            }
            return 0;
        }
    }

    @Command(name = "peak", mixinStandardHelpOptions = true, description = "Measures this CPU's float32 FMA peak at the kernels' vector width"
            + " (register-resident FMA chains, no memory traffic), on one core and on all cores, and prints the vector path the kernels take.")
    static final class Peak implements Callable<Integer> {
        @Option(names = "--threads", description = "threads for the all-cores figure (default: all processors)") Integer threads;
        @Option(names = "--seconds", defaultValue = "1", description = "duration of each timed run (best of 3)") double seconds;
        @Option(names = "--json", paramLabel = "FILE", description = "write the results as JSON") Path json;

        @Override public Integer call() throws Exception {
            int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            if (n < 1) throw new CommandLine.ParameterException(new CommandLine(this), "--threads must be >= 1, got " + n);
            if (!(seconds > 0)) throw new CommandLine.ParameterException(new CommandLine(this), "--seconds must be > 0, got " + seconds);
            org.uso4j.bench.PeakResult r = org.uso4j.bench.PeakResult.measure(n, seconds);
            r.print(System.out);
            if (json != null) {
                r.write(json);
                System.out.println("  wrote " + json);
            }
            return 0;
        }
    }

    @Command(name = "kernels", description = "Runs the JMH kernel benchmarks (arguments are passed to JMH, e.g. 'Linear -p dtype=bf16 -f 1';"
            + " '-l' lists them, '-h' shows JMH's options).")
    static final class Kernels implements Callable<Integer> {
        /** Everything after {@code kernels}, options included, goes to JMH untouched. */
        @CommandLine.Unmatched List<String> args = new ArrayList<>();

        @Override public Integer call() throws Exception {
            return KernelBenchmarks.run(args);
        }
    }

    @Command(name = "dit", mixinStandardHelpOptions = true, description = "Peak memory of the FLUX transformer with weights memory-mapped from FILE: load, touch every"
            + " weight with a tiny forward, then run the first double + single block at a USO run's token counts (or --full: one whole forward).")
    static final class Dit implements Callable<Integer> {
        @Option(names = "--flux", required = true, paramLabel = "FILE", description = "FLUX transformer file (GGUF or safetensors)") Path flux;
        @Option(names = "--size", defaultValue = "512", description = "image side in pixels") int size;
        @Option(names = "--ref-size", defaultValue = "" + UsoTokens.DEFAULT_REF_SIZE, description = "content reference long side (0 = none)") int refSize;
        @Option(names = "--full", description = "run one whole forward at the full token counts (slow: ~41 TFLOP at 512²)") boolean full;
        @Option(names = "--threads", description = "CPU threads (default: all processors)") Integer threads;
        @Option(names = "--json", paramLabel = "FILE", description = "write the results as JSON") Path json;

        @Override public Integer call() throws Exception {
            try (CpuBackend be = BackendChoice.of(new DeviceOption(), threads, false).cpu()) {
                DitMemoryProbe.run(flux, size, refSize, full, be, System.out, json);
            }
            return 0;
        }
    }

    @Command(name = "synth-flux", mixinStandardHelpOptions = true, description = "Writes a real-size FLUX.1-dev transformer with meaningless weights as GGUF (q8_0 or f32),"
            + " laid out like city96's files, for memory measurements without the real weights.")
    static final class SynthFlux implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE") Path file;
        @Option(names = "--dtype", defaultValue = "q8_0", description = "q8_0 or f32") String dtype;

        @Override public Integer call() throws Exception {
            long bytes = SyntheticFluxGguf.writeDev(file, WeightFormat.parse(dtype));
            System.out.printf("wrote %s (%.2f GiB)%n", file, bytes / (double) (1L << 30));
            return 0;
        }
    }

    @Command(name = "synth-model", mixinStandardHelpOptions = true, description = "Writes a complete real-size USO model set with meaningless weights in ComfyUI's layout"
            + " (FLUX q8_0 GGUF or bf16, USO LoRA + projector, VAE, T5-XXL fp8 or bf16, CLIP-L, SigLIP so400m): for measuring whole"
            + " generate runs (bench/memory_run.sh) without the real weights. ~19 GB with q8_0 + fp8, ~35 GB with bf16 + bf16.")
    static final class SynthModel implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR") Path dir;
        @Option(names = "--flux", defaultValue = "q8_0", description = "q8_0 (GGUF) or bf16 (safetensors)") String flux;
        @Option(names = "--t5", defaultValue = "fp8", description = "fp8 (e4m3fn) or bf16") String t5;

        @Override public Integer call() throws Exception {
            System.out.println("writing a synthetic real-size USO model set to " + dir);
            long bytes = SyntheticUsoModel.write(dir, WeightFormat.parse(flux), WeightFormat.parse(t5), System.out);
            System.out.printf("done: %.2f GiB; run it with --models %s --flux %s --t5 %s%n", bytes / (double) (1L << 30), dir,
                    SyntheticUsoModel.fluxFile(dir, WeightFormat.parse(flux)), SyntheticUsoModel.t5File(dir, WeightFormat.parse(t5)));
            return 0;
        }
    }
}
