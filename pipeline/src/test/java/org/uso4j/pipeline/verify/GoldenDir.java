package org.uso4j.pipeline.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.backend.CpuBackend;

/** Locates {@code ../shared/golden} (system property {@code uso4j.golden}) and runs cases the way {@code uso4j verify} does. */
final class GoldenDir {
    private GoldenDir() {}

    static Path golden() {
        Path g = Path.of(System.getProperty("uso4j.golden", "../shared/golden"));
        Assumptions.assumeTrue(Files.isDirectory(g), "golden folder not found: " + g);
        return g;
    }

    /** Verifies {@code caseName} under the golden folder and fails the test with the report if anything fails. */
    static void assertPasses(String caseName, Backend backend) {
        Path dir = golden().resolve(caseName);
        Assumptions.assumeTrue(Files.isDirectory(dir), "golden case not found: " + dir);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        VerifyReport report = new VerifyReport(new PrintStream(buf, true, StandardCharsets.UTF_8));
        boolean ok = new Verifier(backend).verify(dir, report);
        assertTrue(ok && report.allPassed(), caseName + ":\n" + buf.toString(StandardCharsets.UTF_8));
    }

    static void assertPasses(String caseName) { assertPasses(caseName, CpuBackend.create()); }
}
