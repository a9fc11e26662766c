package org.uso4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.uso4j.core.backend.cpu.Isa;
import org.uso4j.core.backend.cpu.amx.AmxKernel;
import org.uso4j.core.backend.cpu.gemm.GemmKernel;

/**
 * What a benchmark ran on: CPU model, core count, memory, Java and OS, the vector path the kernels took (ISA,
 * width, GEMM register block; AMX or why not), and the process's peak resident memory.
 */
public record MachineInfo(String cpu, int processors, long memTotalBytes, String javaVersion, String javaVm, String os,
                          String isa, String gemmBlock, String amx) {

    public static MachineInfo current() {
        return new MachineInfo(cpuModel(), Runtime.getRuntime().availableProcessors(), meminfo("MemTotal:"),
                System.getProperty("java.version"), System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Isa.HOST.describe(), GemmKernel.SHAPE.name().toLowerCase(java.util.Locale.ROOT),
                AmxKernel.available() ? "available" : "none: " + AmxKernel.unavailableReason());
    }


    /** Peak resident set size of this process ({@code VmHWM} of /proc/self/status), or -1 where unavailable. */
    public static long peakRssBytes() { return procStatus("VmHWM:"); }

    /** Current resident set size ({@code VmRSS}), or -1 where unavailable. */
    public static long rssBytes() { return procStatus("VmRSS:"); }

    private static long procStatus(String field) { return kibField(Path.of("/proc/self/status"), field); }

    private static long meminfo(String field) { return kibField(Path.of("/proc/meminfo"), field); }

    /** A "Field:   123 kB" line as bytes. */
    private static long kibField(Path file, String field) {
        for (String line : lines(file)) {
            if (line.startsWith(field)) {
                String[] p = line.substring(field.length()).trim().split("\\s+");
                return Long.parseLong(p[0]) * 1024;
            }
        }
        return -1;
    }

    private static String cpuModel() {
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
        }
        return System.getProperty("os.arch");
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }
}
