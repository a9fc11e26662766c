package org.uso4j.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code uso4j} command line: one subcommand per job; no tensor code lives here. */
@Command(name = "uso4j", mixinStandardHelpOptions = true, version = "uso4j 0.1.0",
        description = "Runs ByteDance USO (FLUX.1-dev + USO LoRA + SigLIP style projector) on the JVM.",
        subcommands = {GenerateCommand.class, ServeCommand.class, EvalCommand.class, DownloadCommand.class, DemoModelCommand.class,
                BenchCommand.class, SparkCommand.class, SelftestCommand.class, VerifyCommand.class, InspectCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(System.out); }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }
}
