package org.uso4j.bench.jmh;

import java.util.List;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs the JMH benchmarks of this package with JMH's own command-line options (what {@code org.openjdk.jmh.Main}
 * does, without exiting the JVM). Each benchmark reports its throughput and, through {@link Flops}, GFLOP/s or GB/s.
 */
public final class KernelBenchmarks {
    private KernelBenchmarks() {}

    /** @return a process exit status */
    public static int run(List<String> args) throws Exception {
        CommandLineOptions cmd = new CommandLineOptions(args.toArray(String[]::new));
        if (cmd.shouldHelp()) {
            cmd.showHelp();
            return 0;
        }
        Runner runner = new Runner(cmd);
        if (cmd.shouldList()) {
            runner.list();
        } else if (cmd.shouldListWithParams()) {
            runner.listWithParams(cmd);
        } else {
            runner.run();
        }
        return 0;
    }
}
