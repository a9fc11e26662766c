package org.uso4j.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.uso4j.spark.GenerationJob;
import org.uso4j.spark.SparkGeneration;
import org.uso4j.spark.SparkMaster;
import org.uso4j.spark.SparkRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code uso4j spark generate --master MASTER [every option of generate]}: the batch's outputs as Spark tasks, written
 * through the Hadoop FileSystem API ({@code --save-path} may be {@code hdfs://} or {@code s3a://}); the same files as
 * {@code uso4j generate}. Exit status 1 when an item failed (the others are written).
 */
@Command(name = "generate", description = "Generates a batch (or one prompt) as a Spark job: the same PNGs and sidecars as uso4j generate.")
final class SparkGenerateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin GenerateCommand generate;

    @Mixin SparkMasterOption master;

    @Mixin SparkModelSource models;

    @Override public Integer call() { return master.run(this::run); }

    private int run(SparkMaster where) {
        GenerateCommand.Plan plan = generate.plan();
        String given = spec.findOption("--save-path").originalStringValues().stream().reduce((a, b) -> b).orElse(plan.settings().savePath().toString());
        GenerationJob job = job(plan, given);
        try (SparkRun run = SparkRun.start(where, "uso4j spark generate", System.err)) {
            SparkGeneration.Summary s = SparkGeneration.run(run, job, plan.entries(), System.err);
            System.err.println(s.written() + " image(s) written to " + job.savePath() + ", " + s.skipped() + " present, " + s.failures().size() + " failed");
            return s.failures().isEmpty() ? 0 : 1;
        }
    }

    /** The job of the plan: model files (local or URIs) and folders made absolute; a URI save path kept as given (a Path would fold its //). */
    private GenerationJob job(GenerateCommand.Plan plan, String savePath) {
        var settings = plan.settings();
        var sidecar = new java.util.LinkedHashMap<>(settings.sidecarArgs());
        if (savePath.contains("://")) sidecar.put("save_path", savePath);
        Path dataRoot = plan.dataRoot() != null ? plan.dataRoot() : Path.of("").toAbsolutePath();
        return new GenerationJob(models.resolve(spec, generate.modelOptions()), generate.pipelineOptions(),
                generate.backendChoice().forSparkExecutors(), settings.template(), settings.imagesPerPrompt(),
                settings.concatRefs(), settings.instructEdit(), sidecar, SparkGeneration.qualify(savePath), dataRoot.toString());
    }
}
