package org.uso4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verify ../shared/golden/*}: files and folders that are not cases are skipped with a word, and do not fail the run. */
class VerifySkipTest {
    @Test void whatIsNotACaseIsSkippedAndSaidSo(@TempDir Path tmp) throws Exception {
        Path golden = Path.of(System.getProperty("uso4j.golden", "../shared/golden"));
        Assumptions.assumeTrue(Files.isDirectory(golden.resolve("rng")), "golden rng case not found");
        Path readme = Files.writeString(tmp.resolve("README.md"), "# not a case");
        Path folder = Files.createDirectories(tmp.resolve("notes"));
        Cli r = Cli.run("verify", golden.resolve("rng").toString(), readme.toString(), folder.toString());
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.err().contains("skipped " + readme + ": a file, not a case folder"), r.all());
        assertTrue(r.err().contains("skipped " + folder + ": no case.json"), r.all());
        assertTrue(r.out().contains("(0 of 1 cases failed); 2 path(s) skipped: not case folders"), r.all());
        Cli metrics = Cli.run("verify", golden.resolve("rng").toString(), golden.resolve("metrics").toString());
        assertTrue(metrics.err().contains("it holds the cases clip_tiny, csd_tiny, dino_tiny, metric_protocol"), metrics.all());
        Cli none = Cli.run("verify", readme.toString());
        assertEquals(2, none.exit(), none.all());
        assertTrue(none.err().contains("error: none of the 1 path(s) is a golden case folder"), none.all());
    }
}
