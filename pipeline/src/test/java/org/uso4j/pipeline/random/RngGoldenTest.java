package org.uso4j.pipeline.random;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.pipeline.verify.Verifier;
import org.uso4j.pipeline.verify.VerifyReport;

class RngGoldenTest {
    @Test
    void rngCaseMatchesBitForBit() {
        Path dir = Path.of(System.getProperty("uso4j.golden", "../shared/golden")).resolve("rng");
        Assumptions.assumeTrue(Files.isDirectory(dir), "golden rng case not present");
        VerifyReport report = new VerifyReport(System.out);
        boolean ok = new Verifier(new ScalarBackend()).verify(dir, report);
        assertTrue(ok, "rng: " + report.failures() + " failures");
    }
}
