package org.uso4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code uso4j bench peak}: bad options are one usage error; a short run prints the path and writes its JSON. */
class BenchPeakCommandTest {
    @Test void badThreadsOrSecondsAreUsageErrors() {
        for (String[] args : new String[][] {{"--threads", "0"}, {"--seconds", "0"}, {"--seconds", "-1"}, {"--threads", "x"}}) {
            String[] all = new String[args.length + 2];
            all[0] = "bench";
            all[1] = "peak";
            System.arraycopy(args, 0, all, 2, args.length);
            Cli r = Cli.run(all);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.all());
            assertTrue(r.err().contains(args[0]), r.all());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.all());
        }
    }

    @Test void aShortRunPrintsThePathAndWritesJson(@TempDir Path tmp) throws IOException {
        Path json = tmp.resolve("peak.json");
        Cli r = Cli.run("bench", "peak", "--threads", "1", "--seconds", "0.05", "--json", json.toString());
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("path: ") && r.out().contains("GEMM block"), r.all());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertTrue(j.get("fma_peak_gflops_one_core").asDouble() > 0, j.toString());
        assertEquals(1, j.get("threads").asInt());
        assertTrue(j.get("context").get("isa").asText().contains("-bit vectors"), j.toString());
        assertTrue(Files.size(json) > 0);
    }
}
