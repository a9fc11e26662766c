package org.uso4j.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.uso4j.pipeline.eval.BenchmarkItem;
import org.uso4j.pipeline.eval.BenchmarkSpec;
import org.uso4j.pipeline.eval.EvalReport;
import org.uso4j.pipeline.eval.ItemResult;
import org.uso4j.pipeline.eval.ReportFiles;

/**
 * USO-Bench evaluation as a Spark job: the items become tasks scored in the executors ({@link EvaluationTask});
 * the driver aggregates their results in spec order into the same {@code report.json} / {@code report.md} /
 * {@code report.html} as {@code uso4j eval} (the same {@link EvalReport} arithmetic and {@link ReportFiles} writer).
 */
public final class SparkEvaluation {
    private SparkEvaluation() {}

    /**
     * Scores {@code items} (a subset of {@code spec}, in spec order) and writes the reports into {@code outDir};
     * {@code images} is the folder as the user gave it (the report names it so).
     */
    public static EvalReport run(SparkRun spark, EvaluationJob job, BenchmarkSpec spec, List<BenchmarkItem> items, Path images,
                                 Path outDir, PrintStream log) {
        JavaSparkContext sc = spark.context();
        List<List<Integer>> tasks = TaskPlan.balance(items.stream().map(BenchmarkItem::index).toList(), i -> 1, 2 * sc.defaultParallelism());
        List<String> json = JobProgress.run(sc, tasks, "items", log, part -> EvaluationTask.run(job, part));
        Map<Integer, ItemResult> byIndex = new HashMap<>();
        for (String j : json) {
            try {
                ItemResult r = EvaluationTask.JSON.readValue(j, ItemResult.class);
                byIndex.put(r.index(), r);
            } catch (IOException e) {
                throw new IllegalStateException("an executor returned an unreadable item result: " + e.getMessage(), e);
            }
        }
        List<ItemResult> ordered = new ArrayList<>();
        for (BenchmarkItem i : items) {
            ItemResult r = byIndex.get(i.index());
            if (r == null) throw new IllegalStateException("item " + i.index() + ": no result came back from the executors");
            ordered.add(r);
        }
        EvalReport report = EvalReport.of(spec.file().toString(), images.toString(), ordered);
        ReportFiles.write(report, outDir);
        return report;
    }
}
