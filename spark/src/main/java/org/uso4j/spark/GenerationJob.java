package org.uso4j.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.uso4j.pipeline.generate.BatchGeneration;
import org.uso4j.pipeline.generate.GenerationRequest;
import org.uso4j.pipeline.generate.ModelFiles;
import org.uso4j.pipeline.generate.PipelineOptions;

/**
 * A batch generation as shipped to the executors: everything {@link BatchGeneration} needs, in serialisable form.
 * Paths are absolute as the driver sees them: every node must see the input images and (for a local save path) the
 * output folder at the same place, and the models there too unless they come from a Hadoop URI ({@link ModelSet}).
 *
 * @param models          the model files (local paths, or a manifest of files each node copies into its model cache)
 * @param options         how the pipeline runs (offload, quantize)
 * @param backend         builds each executor's backend
 * @param template        request settings of every item (prompt and images replaced per item)
 * @param imagesPerPrompt official num_images_per_prompt
 * @param concatRefs      official --concat_refs
 * @param instructEdit    official --instruct_edit
 * @param sidecarArgs     the official InferenceArgs of the sidecars
 * @param savePath        the output folder as a qualified Hadoop URI ({@code file:/...}, {@code hdfs://...}, {@code s3a://...})
 * @param dataRoot        the folder batch-file image paths are relative to (absolute), or null
 */
public record GenerationJob(ModelSet models, PipelineOptions options, BackendFactory backend, GenerationRequest template,
                            int imagesPerPrompt, boolean concatRefs, boolean instructEdit, Map<String, Object> sidecarArgs,
                            String savePath, String dataRoot) implements Serializable {
    public GenerationJob {
        sidecarArgs = new LinkedHashMap<>(sidecarArgs);
        if (!template.contentImages().isEmpty() || !template.styleImages().isEmpty()) {
            throw new IllegalArgumentException("the job template carries no images (they come from the items)");
        }
    }

    /** In an executor: the model files, copied into the node's model cache first when they come from a URI. */
    ModelFiles modelFiles() { return models.localFiles(); }

    /** The batch settings; their save path is unused (outputs go through {@link HadoopOutputFolder}). */
    public BatchGeneration.Settings settings() {
        return new BatchGeneration.Settings(template, imagesPerPrompt, Path.of("."), concatRefs, instructEdit, sidecarArgs,
                BatchGeneration.Existing.SKIP); // the job writes the official names, and skips outputs that exist
    }

    /** Which loaded pipeline serves this job in an executor: same models, options and backend = same pipeline. */
    public String pipelineKey() { return models.key() + "|" + options + "|" + backend.key(); }
}
