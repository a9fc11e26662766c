package org.uso4j.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.uso4j.pipeline.eval.BenchmarkItem;
import org.uso4j.pipeline.eval.BenchmarkSpec;
import org.uso4j.pipeline.eval.EvalReport;
import org.uso4j.pipeline.eval.Evaluation;
import org.uso4j.pipeline.eval.ImageGenerator;
import org.uso4j.pipeline.eval.ItemResult;
import org.uso4j.pipeline.eval.MetricModels;
import org.uso4j.pipeline.eval.PipelineImageGenerator;
import org.uso4j.pipeline.generate.Progress;
import org.uso4j.pipeline.generate.UsoPipeline;

/**
 * One Spark task of an {@link EvaluationJob}, in an executor: scores its items with {@link Evaluation} (the same code
 * as {@code uso4j eval}, with its per-item cache, so a resubmitted job reuses finished items) on the executor's
 * metric models, loaded once per executor ({@link ExecutorCache}); returns each item's result as JSON for the driver.
 */
final class EvaluationTask {
    static final ObjectMapper JSON = new ObjectMapper();

    private EvaluationTask() {}

    static Iterator<String> run(EvaluationJob job, Iterator<List<Integer>> partition) {
        Set<Integer> wanted = new HashSet<>();
        partition.forEachRemaining(wanted::addAll);
        BenchmarkSpec spec = BenchmarkSpec.read(Path.of(job.spec()));
        List<BenchmarkItem> items = spec.items().stream().filter(i -> wanted.contains(i.index())).toList();
        int cores = ExecutorCache.executorCores();
        EvalReport report = ExecutorCache.use("metrics", job.metricsKey(),
                () -> MetricModels.load(EvaluationJob.path(job.clip()), EvaluationJob.path(job.clipVocab()), EvaluationJob.path(job.dino()),
                        EvaluationJob.path(job.csd()), job.backend().create(cores)),
                (MetricModels models) -> new Evaluation(models, generator(job, cores), null)
                        .run(spec, items, Path.of(job.images()), Path.of(job.out())));
        List<String> out = new ArrayList<>();
        for (ItemResult r : report.items()) {
            try {
                out.add(JSON.writeValueAsString(r));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("item " + r.index() + ": cannot serialise its result: " + e.getMessage(), e);
            }
        }
        return out.iterator();
    }

    /** Missing images: generated with the executor's pipeline under {@code --generate}, else an error of the item. */
    private static ImageGenerator generator(EvaluationJob job, int cores) {
        if (job.generation() == null) return ImageGenerator.unavailable();
        return (item, dir) -> ExecutorCache.use("pipeline", job.pipelineKey(),
                () -> UsoPipeline.open(job.generation().models().localFiles(), job.generation().backend().create(cores), job.generation().options()),
                (UsoPipeline p) -> new PipelineImageGenerator(p, job.generation().template(), Progress.NONE).generate(item, dir));
    }
}
