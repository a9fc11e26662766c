package org.uso4j.app;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The command line's one writer of progress and messages. Progress and notes go to stderr, results (the paths of
 * files written, reports) to stdout. On a terminal the progress line is redrawn in place and every other line is
 * printed above it, so nothing lands in the middle of a bar; when stderr is not a terminal every progress update is
 * a whole line of its own and no control codes are written.
 */
final class Console {
    /** How much is said: QUIET = results and errors only; VERBOSE adds debug lines and stack traces. */
    enum Level { QUIET, NORMAL, VERBOSE }

    private static final String CLEAR_LINE = "\033[K";
    private final PrintStream err, out;
    private final boolean terminal;
    private volatile Level level = Level.NORMAL;
    private String status;  // the progress line currently drawn on the terminal, or null

    Console(PrintStream out, PrintStream err, boolean terminal) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    /**
     * The process's console. Whether stderr is a terminal is what the launcher found ({@code -Duso4j.stderr.tty}); run
     * without it, the JVM's own console test (stdin and stdout) stands in. TERM=dumb means no control codes.
     */
    static Console system() {
        String told = System.getProperty("uso4j.stderr.tty");
        java.io.Console c = System.console();
        boolean tty = (told != null ? Boolean.parseBoolean(told) : c != null && c.isTerminal()) && !"dumb".equals(System.getenv("TERM"));
        return new Console(new PrintStream(System.out, true, StandardCharsets.UTF_8), new PrintStream(System.err, true, StandardCharsets.UTF_8), tty);
    }

    void level(Level l) { level = l; }

    Level level() { return level; }

    boolean verbose() { return level == Level.VERBOSE || "1".equals(System.getenv("USO4J_DEBUG")); }

    boolean terminal() { return terminal; }

    /** A result: one line on stdout (always, even with --quiet). */
    synchronized void result(String line) {
        clearStatus();
        out.println(line);
        out.flush();
        redrawStatus();
    }

    /** A progress or note line on stderr (not with --quiet). */
    synchronized void info(String line) {
        if (level == Level.QUIET) return;
        printLine(line);
    }

    /** A debug line on stderr (only with --verbose). */
    synchronized void debug(String line) {
        if (verbose()) printLine(line);
    }

    /** A warning or error on stderr (always). */
    synchronized void error(String line) { printLine(line); }

    /** The transient progress line: redrawn in place on a terminal, a line of its own otherwise. */
    synchronized void status(String line) {
        if (level == Level.QUIET) return;
        if (terminal) {
            status = line;
            err.print("\r" + line + CLEAR_LINE);
            err.flush();
        } else {
            err.println(line);
        }
    }

    /** Ends the transient line: it stays on screen as printed and the next output starts on a new line. */
    synchronized void endStatus() {
        if (terminal && status != null) err.println();
        status = null;
    }

    /** Removes the transient line from the screen (a stage that is over leaves nothing behind). */
    synchronized void dropStatus() {
        clearStatus();
        err.flush();
        status = null;
    }

    private void printLine(String line) {
        clearStatus();
        err.println(line);
        err.flush();
        redrawStatus();
    }

    private void clearStatus() {
        if (terminal && status != null) err.print("\r" + CLEAR_LINE);
    }

    private void redrawStatus() {
        if (terminal && status != null) {
            err.print(status);
            err.flush();
        }
    }
}
