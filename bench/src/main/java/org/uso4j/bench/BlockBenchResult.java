package org.uso4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.uso4j.core.backend.MatmulPrecision;
import org.uso4j.model.flux.FluxConfig;

/**
 * What {@code uso4j bench blocks} measured. The JSON keys {@code double_block_s}, {@code single_block_s},
 * {@code attention_s} (medians, seconds) and {@code peak_rss_bytes} are a contract other tools rely on;
 * {@code precision} says how linear layers multiplied ({@code f32}, or {@code bf16} on AMX tiles);
 * {@code fma_peak_gflops} is this machine's measured f32 FMA peak on the threads used ({@link
 * org.uso4j.core.backend.cpu.simd.FmaPeak}) and every {@code gflops} figure also comes as a fraction of it.
 */
public record BlockBenchResult(BlockBench.Options options, MachineInfo machine, int threads, MatmulPrecision precision,
                               UsoTokens tokens, FluxFlops flops,
                               FluxConfig cfg, double buildSeconds, long weightBytes, Samples doubleBlock, Samples singleBlock,
                               Samples attention, Samples rest, List<KernelTiming> kernels, long peakRssBytes,
                               double fmaPeakGflops) {
    public BlockBenchResult {
        kernels = List.copyOf(kernels);
    }

    /** Seconds of one denoising step: depth double blocks + depthSingleBlocks single blocks + the rest. */
    public double stepSeconds() {
        return cfg.depth() * doubleBlock.median() + cfg.depthSingleBlocks() * singleBlock.median() + rest.median();
    }

    public double imageSeconds() { return BlockBench.STEPS_PER_IMAGE * stepSeconds(); }

    public ObjectNode toJson() {
        ObjectMapper om = new ObjectMapper();
        ObjectNode j = om.createObjectNode();
        j.put("engine", "uso4j");
        j.put("dtype", options.format().cliName());
        j.put("precision", precision.name().toLowerCase(java.util.Locale.ROOT));
        j.put("size", options.size());
        j.put("double_block_s", doubleBlock.median());
        j.put("single_block_s", singleBlock.median());
        j.put("attention_s", attention.median());
        j.put("rest_s", rest.median());
        j.put("step_s", stepSeconds());
        j.put("image_s", imageSeconds());
        j.put("steps_per_image", BlockBench.STEPS_PER_IMAGE);
        j.put("peak_rss_bytes", peakRssBytes);
        j.put("weight_bytes", weightBytes);
        j.put("build_s", buildSeconds);
        ObjectNode gf = j.putObject("gflops");
        gf.put("double_block", flops.doubleBlock() / doubleBlock.median() / 1e9);
        gf.put("single_block", flops.singleBlock() / singleBlock.median() / 1e9);
        gf.put("attention", flops.attention() / attention.median() / 1e9);
        j.put("fma_peak_gflops", fmaPeakGflops);
        ObjectNode pk = j.putObject("fraction_of_fma_peak");
        pk.put("double_block", flops.doubleBlock() / doubleBlock.median() / 1e9 / fmaPeakGflops);
        pk.put("single_block", flops.singleBlock() / singleBlock.median() / 1e9 / fmaPeakGflops);
        pk.put("attention", flops.attention() / attention.median() / 1e9 / fmaPeakGflops);
        ObjectNode fl = j.putObject("flop");
        fl.put("double_block", flops.doubleBlock());
        fl.put("single_block", flops.singleBlock());
        fl.put("attention", flops.attention());
        fl.put("step_blocks", flops.stepBlocks());
        ObjectNode t = j.putObject("tokens");
        t.put("t5", tokens.t5Tokens());
        t.put("style", tokens.styleTokens());
        t.put("txt", tokens.txt());
        t.put("image", tokens.imageTokens());
        t.put("reference", tokens.refTokens());
        t.put("img", tokens.img());
        t.put("total", tokens.total());
        ObjectNode s = j.putObject("samples_s");
        putAll(s.putArray("double_block"), doubleBlock);
        putAll(s.putArray("single_block"), singleBlock);
        putAll(s.putArray("attention"), attention);
        putAll(s.putArray("rest"), rest);
        ArrayNode ks = j.putArray("kernels");
        for (KernelTiming k : kernels) {
            ObjectNode n = ks.addObject();
            n.put("name", k.name());
            n.put("shape", k.shape());
            n.put("seconds", k.seconds());
            if (k.flops() > 0) {
                n.put("gflops", k.gflops());
                n.put("fraction_of_fma_peak", k.gflops() / fmaPeakGflops);
            }
            n.put("gb_per_s", k.gbPerSecond());
        }
        ObjectNode ctx = j.putObject("context");
        ctx.put("cpu", machine.cpu());
        ctx.put("processors", machine.processors());
        ctx.put("mem_total_bytes", machine.memTotalBytes());
        ctx.put("threads", threads);
        ctx.put("java_version", machine.javaVersion());
        ctx.put("java_vm", machine.javaVm());
        ctx.put("os", machine.os());
        ctx.put("isa", machine.isa());
        ctx.put("gemm_block", machine.gemmBlock());
        ctx.put("amx", machine.amx());
        ctx.put("warmup", options.warmup());
        ctx.put("reps", options.reps());
        ctx.put("ref_size", options.refSize());
        ctx.put("seed", options.seed());
        ctx.put("model", "FLUX.1-dev blocks: hidden " + cfg.hiddenSize() + ", " + cfg.numHeads() + " heads x " + cfg.headDim()
                + ", mlp " + cfg.mlpHidden() + ", qkv bias; step = " + cfg.depth() + " double + " + cfg.depthSingleBlocks() + " single");
        ctx.put("timestamp", Instant.now().toString());
        return j;
    }

    private void line(PrintStream out, String what, double seconds, double flop) {
        double gf = flop / seconds / 1e9;
        out.printf("  %s %8.3f s  %6.1f GFLOP/s  %3.0f%% of peak%n", what, seconds, gf, 100 * gf / fmaPeakGflops);
    }

    private static void putAll(ArrayNode a, Samples s) {
        for (double x : s.seconds()) a.add(x);
    }

    /** Writes {@link #toJson()} to {@code file} (through a temporary file, so a failed write leaves no partial file). */
    public void write(Path file) throws IOException { JsonResults.write(file, toJson()); }

    /** A human-readable summary. */
    public void print(PrintStream out) {
        out.printf("uso4j %s weights, %s matmuls, %d² (%d tokens), %d threads on %s%n", options.format().cliName(),
                precision == MatmulPrecision.BF16 ? "bf16 (AMX)" : "f32", options.size(), tokens.total(), threads, machine.cpu());
        out.printf("  path: %s, GEMM block %s; AMX %s; measured f32 FMA peak %.1f GFLOP/s%n", machine.isa(), machine.gemmBlock(),
                machine.amx(), fmaPeakGflops);
        line(out, "double block", doubleBlock.median(), flops.doubleBlock());
        line(out, "single block", singleBlock.median(), flops.singleBlock());
        line(out, "attention   ", attention.median(), flops.attention());
        for (KernelTiming k : kernels) {
            if (k.flops() > 0 && k.name().startsWith("linear")) {
                out.printf("    %-34s %8.3f s  %6.1f GFLOP/s  %3.0f%% of peak%n", k.name(), k.seconds(), k.gflops(), 100 * k.gflops() / fmaPeakGflops);
            }
        }
        out.printf("  rest of step %8.3f s%n", rest.median());
        out.printf("  => %.1f s per step (%d double + %d single blocks + rest), %.1f min per %d-step image (DiT only)%n",
                stepSeconds(), cfg.depth(), cfg.depthSingleBlocks(), imageSeconds() / 60, BlockBench.STEPS_PER_IMAGE);
        out.printf("  peak RSS %.2f GiB (weights of the two blocks %.2f GiB)%n", peakRssBytes / 1073741824.0, weightBytes / 1073741824.0);
    }
}
