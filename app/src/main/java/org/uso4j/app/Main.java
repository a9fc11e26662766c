package org.uso4j.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code uso4j} command line: one subcommand per job; no tensor code lives here. */
@Command(name = "uso4j", mixinStandardHelpOptions = true, version = "uso4j 0.1.0", showDefaultValues = true,
        description = "Runs ByteDance USO (FLUX.1-dev + USO LoRA + SigLIP style projector) on the JVM.",
        subcommands = {GenerateCommand.class, ServeCommand.class, EvalCommand.class, DownloadCommand.class, DemoModelCommand.class,
                BenchCommand.class, SparkCommand.class, SelftestCommand.class, VerifyCommand.class, DevicesCommand.class, InspectCommand.class, CommandLine.HelpCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    private final Console console;

    Main(Console console) { this.console = console; }

    public Main() { this(Console.system()); }

    Console console() { return console; }

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "print only results (files written) and errors")
    void quiet(boolean on) { if (on) console.level(Console.Level.QUIET); }

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "print debug lines and, on an error, its stack trace (also USO4J_DEBUG=1)")
    void verbose(boolean on) {
        if (on) {
            console.level(Console.Level.VERBOSE);
            ConsoleLogHandler.install(console);
        }
    }

    /** No command given: the usage, and exit code 2 (nothing was done). */
    @Override public Integer call() {
        spec.commandLine().usage(System.err);
        return ErrorReport.USAGE;
    }

    /** The command line as the launcher runs it: one error style, default values shown, engine logs through the console. */
    static CommandLine commandLine(Console console) {
        ConsoleLogHandler.install(console);
        ErrorReport errors = new ErrorReport(console);
        CommandLine cl = new CommandLine(new Main(console)).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(errors).setParameterExceptionHandler(errors);
        showDefaults(cl);
        return cl;
    }

    private static void showDefaults(CommandLine cl) {
        cl.getCommandSpec().usageMessage().showDefaultValues(true);
        cl.getSubcommands().values().forEach(Main::showDefaults);
    }

    public static void main(String[] args) {
        System.exit(commandLine(Console.system()).execute(args));
    }
}
