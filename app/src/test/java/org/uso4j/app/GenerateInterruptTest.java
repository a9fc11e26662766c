package org.uso4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C on {@code uso4j generate}, as a real child JVM gets it (SIGINT): the generation is cancelled, the process
 * exits within seconds, and no temporary file is left, whether the signal lands during a step or while a PNG is
 * being written.
 */
class GenerateInterruptTest {
    static Path tiny;

    @BeforeAll static void locate() {
        tiny = Path.of(System.getProperty("uso4j.golden", "../shared/golden")).resolve("pipeline_tiny").toAbsolutePath();
        Assumptions.assumeTrue(Files.isDirectory(tiny), "pipeline_tiny not found");
        // a process started in the background by a non-interactive shell (`cmd &`) has SIGINT ignored, and so have its
        // children, whose JVM then installs no handler: a SIGINT could not reach the child here
        Assumptions.assumeFalse(sigintIgnored(), "SIGINT is ignored in this process tree (started in the background): the child would never see it");
    }

    /** Linux: bit 2 of SigIgn in /proc/self/status (inherited by children). */
    static boolean sigintIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0x2L) != 0;
            }
        } catch (IOException | RuntimeException e) {
            // no /proc (not Linux): assume signals are delivered
        }
        return false;
    }

    static ChildJvm generate(Path tmp, Path out, String size, int images) {
        return ChildJvm.start(tmp, List.of("generate", "--models", tiny.toString(), "--prompt", "A cat.", "--width", size, "--height", size,
                "--num-steps", "1", "--num-images-per-prompt", Integer.toString(images), "--threads", "1", "--save-path", out.toString()));
    }

    /** Everything in the output folder that is not a final PNG or JSON file. */
    static List<String> leftovers(Path out) throws IOException {
        if (!Files.isDirectory(out)) return List.of();
        try (Stream<Path> s = Files.list(out)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.matches("[0-9]+_[0-9]+\\.(png|json)")).sorted().toList();
        }
    }

    static boolean writing(Path out) {
        try (Stream<Path> s = Files.list(out)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp") || p.getFileName().toString().endsWith(".part"));
        } catch (IOException e) {
            return false;
        }
    }

    @Test void sigintWhileAPngIsBeingWrittenLeavesNoTemporaryFile(@TempDir Path tmp) throws IOException {
        int hits = 0;
        for (int round = 0; round < 2; round++) {
            Path out = tmp.resolve("out" + round);
            try (ChildJvm run = generate(tmp, out, "384", 100)) {
                long end = System.nanoTime() + 120_000_000_000L;
                while (!writing(out)) {
                    assertTrue(System.nanoTime() < end && run.isAlive(), "never wrote: " + run.output());
                    Thread.onSpinWait();
                }
                run.signal("INT");
                hits++;
                long t0 = System.nanoTime();
                run.awaitExit(Duration.ofSeconds(30));
                double s = (System.nanoTime() - t0) / 1e9;
                assertTrue(s < 15, "exited " + s + " s after SIGINT");
                assertEquals(List.of(), leftovers(out), "round " + round + ": " + run.output());
            }
        }
        assertEquals(2, hits);
    }

    @Test void sigintDuringAStepCancelsTheGenerationWithinSeconds(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("out");
        try (ChildJvm run = generate(tmp, out, "1024", 1)) {
            run.awaitLine(l -> l.contains("denoising"), Duration.ofSeconds(120));
            run.signal("INT");
            long t0 = System.nanoTime();
            run.awaitExit(Duration.ofSeconds(60));
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("SIGINT during a 1024² step: exited after %.2f s%n", s);
            assertTrue(s < 10, "exited " + s + " s after SIGINT");
            assertTrue(run.output().contains("generation cancelled"), run.output());
            assertEquals(List.of(), leftovers(out));
            assertTrue(Files.notExists(out.resolve("0_0.png")));
        }
    }
}
