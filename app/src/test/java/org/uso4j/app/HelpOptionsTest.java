package org.uso4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Every command a user runs answers {@code --help} with its usage (exit 0) instead of "Unknown option". */
class HelpOptionsTest {
    @ParameterizedTest
    @ValueSource(strings = {"generate", "serve", "eval", "download", "demo-model", "selftest", "verify", "inspect", "bench",
            "bench blocks", "bench dit", "bench synth-flux", "bench synth-model", "spark", "spark generate", "spark eval"})
    void helpPrintsUsage(String command) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out));
        String[] args = (command + " --help").split(" ");
        assertEquals(0, cli.execute(args), command);
        assertTrue(out.toString().contains("Usage: uso4j " + command), out::toString);
    }
}
