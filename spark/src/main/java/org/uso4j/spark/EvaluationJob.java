package org.uso4j.spark;

import java.io.Serializable;
import java.nio.file.Path;
import org.uso4j.pipeline.generate.GenerationRequest;
import org.uso4j.pipeline.generate.PipelineOptions;

/**
 * A USO-Bench evaluation as shipped to the executors. Every path is absolute as the driver sees it and must be
 * readable (the images and output folders also writable) at the same place on every node: a shared or copied folder.
 *
 * @param spec       the benchmark spec file
 * @param images     the generated images folder
 * @param out        the reports folder (the per-item cache lives in its {@code items/})
 * @param clip       CLIP weights, or null when no task needs CLIP-I / CLIP-T
 * @param clipVocab  the CLIP tokenizer, or null likewise
 * @param dino       DINO weights, or null
 * @param csd        CSD weights, or null
 * @param backend    builds each executor's backend of the metric models
 * @param generation how missing images are generated, or null (missing images are then an error of their item)
 */
public record EvaluationJob(String spec, String images, String out, String clip, String clipVocab, String dino, String csd,
                            BackendFactory backend, Generation generation) implements Serializable {
    /** {@code --generate}: the pipeline that makes an item's missing image in the executor, its backend (generate's precision) and settings. */
    public record Generation(ModelSet models, PipelineOptions options, BackendFactory backend, GenerationRequest template) implements Serializable {}

    /**
     * The path of {@code p} as the executors get it: absolute, and spelt as given when it is (model summaries name their
     * files and are part of the cached results' fingerprints, which then match those of {@code uso4j eval}), or null.
     */
    public static String absolute(Path p) { return p == null ? null : p.toAbsolutePath().toString(); }

    static Path path(String s) { return s == null ? null : Path.of(s); }

    String metricsKey() { return clip + "|" + clipVocab + "|" + dino + "|" + csd + "|" + backend.key(); }

    String pipelineKey() { return generation.models().key() + "|" + generation.options() + "|" + generation.backend().key(); }
}
