package org.uso4j.app;

import java.util.function.ToIntFunction;
import org.uso4j.spark.SparkMaster;
import picocli.CommandLine.Option;

/** {@code --master} of the spark subcommands, and how they run on it. */
final class SparkMasterOption {
    @Option(names = "--master", paramLabel = "MASTER", description = "local[N], spark://host:port or standalone:N (default under spark-submit: its --master)")
    String master;

    /** Runs {@code body} on the parsed master (see {@link SparkCommand#run}). */
    int run(ToIntFunction<SparkMaster> body) { return SparkCommand.run(master, body); }
}
