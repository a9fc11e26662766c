package org.uso4j.core.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.uso4j.core.backend.cpu.Isa;

/**
 * The float32 contract across machines: GEMM, conv2d, attention, norms and pointwise ops give the same bits for any thread count and at
 * every vector width ({@link WidthProbe} in child JVMs narrowed to 256 and 128 bits, and on x86 to AVX2's and
 * SSE's 16 registers), so a result does not depend on the CPU it ran on.
 */
class WidthIndependenceTest {
    @Test
    void sameBitsForAnyThreadCount() {
        String one = WidthProbe.digest(1);
        assertEquals(one, WidthProbe.digest(2), "2 threads");
        assertEquals(one, WidthProbe.digest(3), "3 threads");
    }

    @Test
    void sameBitsAtEveryVectorWidth() throws Exception {
        String here = WidthProbe.digest(2);
        List<List<String>> narrower = new ArrayList<>(List.of(List.of("-XX:MaxVectorSize=32"), List.of("-XX:MaxVectorSize=16")));
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            narrower.add(List.of("-XX:UseAVX=2")); // 16 ymm registers: the AVX2 register block (where AVX2 exists)
            narrower.add(List.of("-XX:UseAVX=1")); // 128-bit vectors, 16 registers
        }
        for (List<String> flags : narrower) {
            String[] out = child(flags, 2).split("\\|");
            assertEquals(here, out[1], "digest at " + out[0] + " (" + flags + ") vs " + Isa.HOST.describe());
        }
    }

    private static String child(List<String> flags, int threads) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx1g"));
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), WidthProbe.class.getName(), Integer.toString(threads)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("width probe " + flags + " did not finish in 120 s");
        }
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), () -> "width probe " + flags + " failed:\n" + text);
        String[] lines = text.split("\n");
        return lines[lines.length - 1].trim();
    }
}
