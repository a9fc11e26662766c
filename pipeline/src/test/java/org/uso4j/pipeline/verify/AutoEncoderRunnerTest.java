package org.uso4j.pipeline.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.uso4j.core.backend.CpuBackend;

/** The golden {@code ae_tiny} case through {@code uso4j verify}'s code path: every output must pass. */
class AutoEncoderRunnerTest {
    private static final Path GOLDEN = Path.of(System.getProperty("uso4j.golden", "../shared/golden"));

    @Test void aeTinyPasses() {
        Path dir = GOLDEN.resolve("ae_tiny");
        Assumptions.assumeTrue(Files.isDirectory(dir), "no golden folder " + dir);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        VerifyReport report = new VerifyReport(new PrintStream(log, true, StandardCharsets.UTF_8));
        boolean ok = new Verifier(CpuBackend.create()).verify(dir, report);
        String text = log.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertTrue(ok && report.allPassed(), text);
        for (String out : new String[]{"config", "moments", "z_mean", "z_sample", "decoded", "decoded_u8"}) {
            assertTrue(report.results().stream().anyMatch(r -> r.output().equals(out) && r.pass()), out + " not checked:\n" + text);
        }
    }
}
