package org.uso4j.app;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes the engine's {@code System.Logger} records (java.util.logging underneath) through the {@link Console}, so a
 * log line never lands in the middle of the progress bar: warnings always, INFO as normal lines, the rest only
 * with {@code --verbose}.
 */
final class ConsoleLogHandler extends Handler {
    private final Console console;

    private ConsoleLogHandler(Console console) { this.console = console; }

    /** Replaces the root logger's handlers with one writing to {@code console}. */
    static void install(Console console) {
        Logger root = LogManager.getLogManager().getLogger("");
        for (Handler h : root.getHandlers()) root.removeHandler(h);
        root.addHandler(new ConsoleLogHandler(console));
        root.setLevel(console.verbose() ? Level.FINE : Level.INFO);
    }

    @Override public void publish(LogRecord r) {
        String message = r.getThrown() == null || !console.verbose() ? text(r) : text(r) + " (" + r.getThrown() + ")";
        int level = r.getLevel().intValue();
        if (level >= Level.WARNING.intValue()) console.error((level >= Level.SEVERE.intValue() ? "error: " : "warning: ") + message);
        else if (level >= Level.INFO.intValue()) console.info(message);
        else console.debug(message);
    }

    private static String text(LogRecord r) {
        String m = r.getMessage();
        Object[] p = r.getParameters();
        return p == null || p.length == 0 || m == null ? String.valueOf(m) : java.text.MessageFormat.format(m, p);
    }

    @Override public void flush() { }

    @Override public void close() { }
}
