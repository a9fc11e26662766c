package org.uso4j.app;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.uso4j.pipeline.eval.EvalReport;
import org.uso4j.spark.EvaluationJob;
import org.uso4j.spark.SparkEvaluation;
import org.uso4j.spark.SparkMaster;
import org.uso4j.spark.SparkRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code uso4j spark eval SPEC --images DIR --master MASTER [every option of eval]}: the items scored in the executors
 * (each loads the metric models once), the same reports as {@code uso4j eval} aggregated on the driver; resumable
 * through eval's per-item cache. The spec, references, images and output folder must be at the same path on every node
 * (the generation models of {@code --generate} may instead be Hadoop URIs, see {@link SparkModelSource}).
 */
@Command(name = "eval", description = "Scores a USO-Bench spec as a Spark job: the same report.json / .md / .html as uso4j eval.")
final class SparkEvalCommand implements Callable<Integer> {
    @Mixin EvalCommand eval;

    @Mixin SparkMasterOption master;

    @Mixin SparkModelSource models;

    @Spec CommandSpec spec;

    @Override public Integer call() { return master.run(this::run); }

    private int run(SparkMaster where) {
        EvalCommand.Plan p = eval.plan();
        Path images = eval.images();
        EvaluationJob.Generation generation = eval.generate() ? new EvaluationJob.Generation(
                models.resolve(spec, eval.modelOptions()), eval.pipelineOptions(),
                eval.backendChoice().forSparkExecutors(), eval.template()) : null;
        EvaluationJob job = new EvaluationJob(EvaluationJob.absolute(p.benchmark().file()), EvaluationJob.absolute(images), EvaluationJob.absolute(p.outDir()),
                EvaluationJob.absolute(p.clipPath()), EvaluationJob.absolute(p.vocab()), EvaluationJob.absolute(p.dinoPath()), EvaluationJob.absolute(p.csdPath()),
                eval.metricBackend().forSparkExecutors(), generation);
        System.out.printf(Locale.ROOT, "%d items (%s), metrics %s%n", p.items().size(), p.wanted(), p.metrics());
        try (SparkRun run = SparkRun.start(where, "uso4j spark eval", System.err)) {
            EvalReport report = SparkEvaluation.run(run, job, p.benchmark(), p.items(), images, p.outDir(), System.err);
            EvalCommand.printTables(System.out, report, p.outDir());
        }
        return 0;
    }
}
