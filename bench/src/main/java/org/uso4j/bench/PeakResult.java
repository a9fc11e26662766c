package org.uso4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import org.uso4j.core.backend.cpu.simd.FmaPeak;

/** What {@code uso4j bench peak} measured: the f32 FMA peak of one core and of {@code threads} threads. */
public record PeakResult(MachineInfo machine, int threads, double oneCoreGflops, double allCoresGflops) {
    public static PeakResult measure(int threads, double seconds) {
        double one = FmaPeak.gflops(1, seconds, 3);
        double all = threads == 1 ? one : FmaPeak.gflops(threads, seconds, 3);
        return new PeakResult(MachineInfo.current(), threads, one, all);
    }

    public ObjectNode toJson() {
        ObjectNode j = new ObjectMapper().createObjectNode();
        j.put("engine", "uso4j");
        j.put("fma_peak_gflops_one_core", oneCoreGflops);
        j.put("fma_peak_gflops", allCoresGflops);
        j.put("threads", threads);
        j.put("chains_per_thread", FmaPeak.CHAINS);
        ObjectNode ctx = j.putObject("context");
        ctx.put("cpu", machine.cpu());
        ctx.put("processors", machine.processors());
        ctx.put("isa", machine.isa());
        ctx.put("gemm_block", machine.gemmBlock());
        ctx.put("amx", machine.amx());
        ctx.put("java_vm", machine.javaVm());
        ctx.put("timestamp", Instant.now().toString());
        return j;
    }

    public void write(Path file) throws IOException { JsonResults.write(file, toJson()); }

    public void print(PrintStream out) {
        out.printf("f32 FMA peak on %s%n  path: %s, GEMM block %s; AMX %s%n", machine.cpu(), machine.isa(), machine.gemmBlock(), machine.amx());
        out.printf("  one core   %8.1f GFLOP/s%n  %2d threads %8.1f GFLOP/s%n", oneCoreGflops, threads, allCoresGflops);
    }
}
