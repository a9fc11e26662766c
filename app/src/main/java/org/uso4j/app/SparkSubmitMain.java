package org.uso4j.app;

import picocli.CommandLine;

/**
 * Main class of {@code uso4j-spark.jar} under spark-submit: {@code spark-submit --class org.uso4j.app.SparkSubmitMain
 * uso4j-spark.jar generate|eval ...} runs {@code uso4j spark generate|eval} on spark-submit's master.
 */
public final class SparkSubmitMain {
    private SparkSubmitMain() {}

    public static void main(String[] args) {
        int code = new CommandLine(new SparkCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        if (code != 0) System.exit(code);
    }
}
