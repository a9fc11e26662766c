package org.uso4j.pipeline.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.uso4j.core.backend.ScalarBackend;

class TokenizerCaseRunnerTest {
    private static final Path GOLDEN = Path.of(System.getProperty("uso4j.golden", "../shared/golden"));

    @Test
    void tokenizersCasePassesThroughVerifier() {
        Path dir = GOLDEN.resolve("tokenizers");
        Assumptions.assumeTrue(Files.isDirectory(dir));
        VerifyReport report = new VerifyReport(null);
        boolean ok = new Verifier(new ScalarBackend()).verify(dir, report);
        String failed = report.results().stream().filter(r -> !r.pass())
                .map(r -> r.output() + " " + r.note()).reduce("", (a, b) -> a + b + "\n");
        assertEquals("", failed);
        assertTrue(ok);
        // 34 prompts x (CLIP 6 checks + T5 12 checks) plus ids and md5 checks
        assertTrue(report.results().size() > 34 * 10, "checked " + report.results().size());
    }
}
