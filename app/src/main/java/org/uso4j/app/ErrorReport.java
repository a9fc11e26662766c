package org.uso4j.app;

import java.nio.file.NoSuchFileException;
import org.uso4j.pipeline.generate.GenerationCancelledException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * One error style for every command: {@code error: <message>} on stderr (the message names the option, file or field
 * and what was expected), exit code 2 for a wrong command line (a bad option value, a file or folder given on it
 * that does not exist) and 1 for a failure while running; a stack trace only with {@code --verbose} or
 * {@code USO4J_DEBUG=1}.
 */
final class ErrorReport implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    static final int USAGE = 2, FAILURE = 1, CANCELLED = 130;
    private final Console console;

    ErrorReport(Console console) { this.console = console; }

    @Override public int handleParseException(ParameterException ex, String[] args) {
        console.endStatus();
        console.error("error: " + ex.getMessage());
        CommandLine cmd = ex.getCommandLine();
        console.error("(see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        if (console.verbose()) ex.printStackTrace();
        return USAGE;
    }

    @Override public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        console.endStatus();
        if (ex instanceof GenerationCancelledException) {
            console.error("cancelled (" + ex.getMessage() + ")");
            return CANCELLED;
        }
        console.error("error: " + message(ex));
        if (console.verbose()) ex.printStackTrace();
        else if (!isExpected(ex)) console.error("(an unexpected " + ex.getClass().getSimpleName() + ": run again with --verbose for the stack trace)");
        return exitCode(ex);
    }

    /** 2 for input the user can fix on the command line, 1 for everything else. */
    static int exitCode(Throwable ex) {
        if (ex instanceof ParameterException || ex instanceof IllegalArgumentException) return USAGE;
        for (Throwable t = ex; t != null; t = t.getCause()) if (t instanceof NoSuchFileException) return USAGE;
        return FAILURE;
    }

    /** Exceptions whose message is the whole story (bad input, missing or broken files). */
    private static boolean isExpected(Throwable ex) {
        return ex instanceof IllegalArgumentException || ex instanceof IllegalStateException || ex instanceof java.io.UncheckedIOException
                || ex instanceof org.uso4j.core.io.CheckpointException || ex instanceof org.uso4j.pipeline.image.ImageFileException
                || ex instanceof java.io.IOException;
    }

    private static String message(Throwable ex) {
        String m = ex.getMessage();
        if (m == null || m.isBlank()) m = ex.getClass().getSimpleName();
        return m;
    }
}
