package org.uso4j.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process as the launcher does (Main.commandLine), capturing stdout and stderr separately. */
record Cli(int exit, String out, String err) {
    static Cli run(String... args) { return run(false, args); }

    /** {@code terminal}: whether the console draws progress in place (as on a terminal). */
    static Cli run(boolean terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out, oldErr = System.err;
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8), e = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setOut(o);
        System.setErr(e);
        try {
            int code = Main.commandLine(new Console(o, e, terminal)).execute(args);
            return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Both streams, for assertion messages. */
    String all() { return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err; }
}
