package org.uso4j.spark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.uso4j.pipeline.generate.BatchEntry;
import org.uso4j.pipeline.generate.BatchGeneration;

/**
 * Batch generation as a Spark job: the batch's outputs (item × image) whose PNG and sidecar do not both exist become
 * tasks balanced by cost ({@link TaskPlan}), generated in the executors ({@link GenerationTask}) and written through
 * the Hadoop FileSystem API; the same files as {@code uso4j generate}, bit for bit. A re-submission finds every
 * output present and starts no task. Failed items are reported with their reason; the others are written.
 */
public final class SparkGeneration {
    /** What a run did. */
    public record Summary(int outputs, int written, int skipped, List<OutputOutcome> failures) {
        public Summary {
            failures = List.copyOf(failures);
        }
    }

    private SparkGeneration() {}

    /** A save path (a URI, or a local path relative to this working folder) as the qualified URI the executors are given. */
    public static String qualify(String savePath) { return HadoopOutputFolder.qualify(savePath); }

    public static Summary run(SparkRun spark, GenerationJob job, List<BatchEntry> entries, PrintStream log) {
        JavaSparkContext sc = spark.context();
        HadoopOutputFolder folder = HadoopOutputFolder.open(job.savePath());
        List<BatchGeneration.Output> all = BatchGeneration.outputs(entries, job.imagesPerPrompt()), todo = new ArrayList<>();
        for (BatchGeneration.Output o : all) if (!(folder.exists(o.pngName()) && folder.exists(o.jsonName()))) todo.add(o);
        int skipped = all.size() - todo.size();
        log.println("uso4j spark generate: " + all.size() + " output(s), " + skipped + " already in " + folder + ", " + todo.size() + " to generate");
        if (todo.isEmpty()) return new Summary(all.size(), 0, skipped, List.of());
        double pixelSteps = (double) job.template().width() * job.template().height() * job.template().numSteps();
        List<List<BatchGeneration.Output>> tasks = TaskPlan.balance(todo, o -> pixelSteps, 2 * sc.defaultParallelism());
        List<OutputOutcome> outcomes;
        try {
            outcomes = JobProgress.run(sc, tasks, "images", log, part -> GenerationTask.run(job, part));
        } finally {
            Set<String> names = new HashSet<>();
            for (BatchGeneration.Output o : todo) {
                names.add(o.pngName());
                names.add(o.jsonName());
            }
            int stale = folder.removeTemporaries(names);
            if (stale > 0) log.println("uso4j spark generate: removed " + stale + " temporary file(s) of lost task attempts");
        }
        List<OutputOutcome> failures = outcomes.stream().filter(o -> o.status() == OutputOutcome.Status.FAILED).toList();
        for (OutputOutcome f : failures) log.println("uso4j spark generate: item " + f.item() + " image " + f.image() + " (" + f.name() + ") failed: " + f.reason());
        int written = (int) outcomes.stream().filter(o -> o.status() == OutputOutcome.Status.WRITTEN).count();
        int late = (int) outcomes.stream().filter(o -> o.status() == OutputOutcome.Status.SKIPPED).count();
        return new Summary(all.size(), written, skipped + late, failures);
    }
}
