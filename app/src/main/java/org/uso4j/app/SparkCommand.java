package org.uso4j.app;

import org.uso4j.spark.SparkMaster;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code uso4j spark}: batch generation and USO-Bench evaluation as Apache Spark jobs. */
@Command(name = "spark", mixinStandardHelpOptions = true, subcommands = {SparkGenerateCommand.class, SparkEvalCommand.class},
        description = {"Runs batch generation and USO-Bench evaluation as Apache Spark jobs (Spark 4.1, Scala 2.13).",
                "--master local[N] (one JVM), spark://host:port (an existing cluster) or standalone:N (a loopback cluster of N workers started for the job)."})
final class SparkCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(System.out); }

    /**
     * Runs a spark subcommand's {@code body} on the parsed {@code --master} (null: spark-submit's); a bad input or a
     * job that cannot start is one "error:" line and exit status 2.
     */
    static int run(String master, java.util.function.ToIntFunction<SparkMaster> body) {
        try {
            requireSpark();
            return body.applyAsInt(master == null ? null : SparkMaster.parse(master));
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
    }

    /** Spark is a provided dependency: ./uso4j adds spark/target/spark-home/jars to the class path, spark-submit brings its own. */
    static void requireSpark() {
        try {
            Class.forName("org.apache.spark.SparkConf", false, SparkCommand.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Spark is not on the class path: run through ./uso4j (it adds spark/target/spark-home/jars after"
                    + " `mvn package`) or submit uso4j-spark.jar with spark-submit");
        }
    }
}
