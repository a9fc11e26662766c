package org.uso4j.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.uso4j.pipeline.generate.BatchGeneration;
import org.uso4j.pipeline.generate.Progress;
import org.uso4j.pipeline.generate.UsoPipeline;
import org.uso4j.pipeline.image.ImageDecoder;

/**
 * One Spark task of a {@link GenerationJob}, in an executor: generates each of its outputs whose PNG and sidecar are
 * not both present, with the executor's pipeline (loaded once per model set and settings, see {@link ExecutorCache}),
 * and writes them through {@link HadoopOutputFolder}. A failing item is reported in its outcome and the next one goes
 * on; only an executor fault (out of memory, a lost node) fails the task, which Spark then retries elsewhere.
 */
final class GenerationTask {
    private GenerationTask() {}

    static Iterator<OutputOutcome> run(GenerationJob job, Iterator<List<BatchGeneration.Output>> partition) {
        HadoopOutputFolder folder = HadoopOutputFolder.open(job.savePath());
        BatchGeneration.Settings settings = job.settings();
        Path dataRoot = job.dataRoot() == null ? null : Path.of(job.dataRoot());
        ImageDecoder decoder = new ImageDecoder();
        List<OutputOutcome> out = new ArrayList<>();
        while (partition.hasNext()) {
            for (BatchGeneration.Output o : partition.next()) {
                if (folder.exists(o.pngName()) && folder.exists(o.jsonName())) {
                    out.add(new OutputOutcome(o.item(), o.image(), o.pngName(), OutputOutcome.Status.SKIPPED, null, 0));
                    continue;
                }
                long t0 = System.nanoTime();
                try {
                    BatchGeneration.Encoded e = ExecutorCache.use("pipeline", job.pipelineKey(),
                            () -> UsoPipeline.open(job.modelFiles(), job.backend().create(ExecutorCache.executorCores()), job.options()),
                            (UsoPipeline p) -> BatchGeneration.generate(p, decoder, dataRoot, settings, o, Progress.NONE));
                    folder.write(o.pngName(), e.png());
                    folder.write(o.jsonName(), e.json());
                    out.add(new OutputOutcome(o.item(), o.image(), o.pngName(), OutputOutcome.Status.WRITTEN, null, (System.nanoTime() - t0) / 1e9));
                } catch (RuntimeException ex) {
                    String reason = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
                    out.add(new OutputOutcome(o.item(), o.image(), o.pngName(), OutputOutcome.Status.FAILED, reason, (System.nanoTime() - t0) / 1e9));
                }
            }
        }
        return out.iterator();
    }
}
