package org.uso4j.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.pipeline.generate.BatchEntry;
import org.uso4j.pipeline.generate.BatchGeneration;
import org.uso4j.pipeline.generate.GenerationRequest;
import org.uso4j.pipeline.generate.GenerationResult;
import org.uso4j.pipeline.generate.PipelineOptions;
import org.uso4j.pipeline.generate.Progress;
import org.uso4j.pipeline.generate.UsoPipeline;
import org.uso4j.pipeline.sampling.PositionEmbedding;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code uso4j generate}: a superset of the official {@code inference.py} (its flags are accepted with underscores
 * too). Writes PNG + the official JSON sidecar.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Generates images like the official inference.py (every USO mode, batch files, resumable).")
final class GenerateCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin ModelOptions modelOptions;

    @Option(names = "--prompt", description = "text prompt (may be empty)") String prompt;
    @Option(names = {"--image-paths", "--image_paths"}, arity = "0..*", description = "official convention: first = content image or \"\", the rest = style images")
    List<String> imagePaths;
    @Option(names = "--content", description = "content (subject) image; repeatable") List<Path> content = new ArrayList<>();
    @Option(names = "--style", description = "style image; repeatable") List<Path> style = new ArrayList<>();
    @Option(names = {"--eval-json-path", "--eval_json_path"}, description = "batch file in the official format") Path evalJsonPath;
    @Option(names = "--width", defaultValue = "1024") int width;
    @Option(names = "--height", defaultValue = "1024") int height;
    @Option(names = {"--num-steps", "--num_steps"}, defaultValue = "25") int numSteps;
    @Option(names = "--guidance", defaultValue = "4") float guidance;
    @Option(names = "--seed", defaultValue = "3407") long seed;
    @Option(names = "--pe", defaultValue = "d", description = "reference position ids: d, h, w or o") String pe;
    @Option(names = {"--content-ref", "--content_ref"}, defaultValue = "512", description = "long side of the preprocessed content image") int contentRef;
    @Option(names = {"--num-images-per-prompt", "--num_images_per_prompt"}, defaultValue = "1") int imagesPerPrompt;
    @Option(names = {"--save-path", "--save_path"}, defaultValue = "output/inference") Path savePath;
    @Option(names = {"--concat-refs", "--concat_refs"}, description = "append the reference images to the right of each result") boolean concatRefs;
    @Option(names = {"--instruct-edit", "--instruct_edit"}, description = "size the output from the content image") boolean instructEdit;
    @Option(names = {"--lora-weight", "--lora_weight"}, defaultValue = "1") float loraWeight;
    @Option(names = {"--lora-rank", "--lora_rank"}, description = "accepted for compatibility; the rank is read from the LoRA file") Integer loraRank;
    @Option(names = "--posterior", defaultValue = "sample", description = "content latent: sample (seeded) or mean") String posterior;
    @Option(names = {"--posterior-seed", "--posterior_seed"}, description = "base seed of the content posterior noise (default: seed + 1000003)") Long posteriorSeed;
    @Option(names = "--quantize", description = "quantize the FLUX weights at load: q8_0, q4_k or fp8 (default: as stored)") String quantize;
    @Option(names = "--offload", description = "load and release each stage in turn (lower peak memory)") boolean offload;
    @Option(names = "--threads", description = "CPU threads (default: all processors)") Integer threads;
    @Option(names = "--precision", defaultValue = "auto", converter = PrecisionOption.Converter.class, description = PrecisionOption.DESCRIPTION)
    PrecisionOption precision;

    /** What to generate: the batch items, the folder their image paths are relative to (null: as given) and the settings. */
    record Plan(List<BatchEntry> entries, Path dataRoot, BatchGeneration.Settings settings) {}

    /** The batch, its data root and settings from the options (shared with {@code uso4j spark generate}). */
    Plan plan() {
        List<BatchEntry> entries;
        Path dataRoot;
        if (evalJsonPath != null) {
            if (prompt != null || imagePaths != null || !content.isEmpty() || !style.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--eval-json-path cannot be combined with --prompt/--image-paths/--content/--style");
            }
            entries = BatchEntry.read(evalJsonPath);
            dataRoot = evalJsonPath.toAbsolutePath().getParent();
        } else {
            if (prompt == null) throw new ParameterException(spec.commandLine(), "give --prompt (may be \"\") or --eval-json-path");
            entries = List.of(content.size() > 1
                    ? new BatchEntry(prompt, stylesAfterEmptyContent(), null, content.stream().map(Path::toString).toList())
                    : new BatchEntry(prompt, imagePaths(), null));
            dataRoot = null;
        }
        GenerationRequest template = new GenerationRequest(prompt == null ? "" : prompt, List.of(), List.of(), width, height, numSteps,
                guidance, seed, PositionEmbedding.parse(pe), contentRef, loraWeight, parsePosterior(), posteriorSeed);
        return new Plan(entries, dataRoot, new BatchGeneration.Settings(template, imagesPerPrompt, savePath, concatRefs, instructEdit, sidecarArgs()));
    }

    @Override public Integer call() {
        Plan plan = plan();
        List<BatchEntry> entries = plan.entries();
        Path dataRoot = plan.dataRoot();
        BatchGeneration.Settings settings = plan.settings();
        CpuBackend be = precision.backend(threads);
        System.err.println("uso4j generate: " + be.name());
        ProgressBar bar = new ProgressBar(System.err);
        Thread interrupt = new Thread(bar::cancel);
        Runtime.getRuntime().addShutdownHook(interrupt);
        try (UsoPipeline pipeline = UsoPipeline.open(modelOptions.resolve(), be, pipelineOptions())) {
            int written = BatchGeneration.run(pipeline, entries, dataRoot, settings, new BatchGeneration.Listener() {
                @Override public void started(int index, int total, Path png) { bar.prefix("[" + (index + 1) + "/" + total + "] "); }
                @Override public void skipped(int index, int total, Path png) { System.err.println("[" + (index + 1) + "/" + total + "] " + png + " exists, skipped"); }
                @Override public void finished(int index, int total, Path png, GenerationResult r) {
                    System.err.printf("%n[%d/%d] wrote %s (%.1f s)%n", index + 1, total, png, r.seconds());
                }
                @Override public Progress progress() { return bar; }
            });
            System.err.println(written + " image(s) written to " + savePath);
            return 0;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(interrupt);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down (Ctrl-C): the hook has run
            }
        }
    }

    /** The options the batch does not carry, for {@code uso4j spark generate}. */
    ModelOptions modelOptions() { return modelOptions; }

    PrecisionOption precision() { return precision; }

    Integer threads() { return threads; }

    PipelineOptions pipelineOptions() { return PipelineOptions.defaults().withOffload(offload).withQuantize(PipelineOptions.parseQuantize(quantize)); }

    /** --image-paths as given, or --content/--style mapped onto the official convention (one content image at most there). */
    private List<String> imagePaths() {
        if (imagePaths != null) {
            if (!content.isEmpty() || !style.isEmpty()) throw new ParameterException(spec.commandLine(), "use either --image-paths or --content/--style");
            return imagePaths;
        }
        List<String> p = new ArrayList<>();
        p.add(content.isEmpty() ? "" : content.get(0).toString());
        style.forEach(s -> p.add(s.toString()));
        return content.isEmpty() && style.isEmpty() ? List.of() : p;
    }

    /** Several --content images: the official list keeps "" as its content entry, the styles after it. */
    private List<String> stylesAfterEmptyContent() {
        if (imagePaths != null) throw new ParameterException(spec.commandLine(), "use either --image-paths or --content/--style");
        List<String> p = new ArrayList<>(List.of(""));
        style.forEach(s -> p.add(s.toString()));
        return p;
    }

    private GenerationRequest.Posterior parsePosterior() {
        return switch (posterior.toLowerCase(java.util.Locale.ROOT)) {
            case "sample" -> GenerationRequest.Posterior.SAMPLE;
            case "mean" -> GenerationRequest.Posterior.MEAN;
            default -> throw new ParameterException(spec.commandLine(), "--posterior must be sample or mean, got '" + posterior + "'");
        };
    }

    /** The official InferenceArgs in their order, as inference.py's sidecar holds them. */
    private Map<String, Object> sidecarArgs() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("prompt", prompt);
        a.put("image_paths", imagePaths);
        a.put("eval_json_path", evalJsonPath == null ? null : evalJsonPath.toString());
        a.put("offload", offload);
        a.put("num_images_per_prompt", imagesPerPrompt);
        a.put("model_type", "flux-dev");
        a.put("width", width);
        a.put("height", height);
        a.put("num_steps", numSteps);
        a.put("guidance", guidance);
        a.put("seed", seed);
        a.put("save_path", savePath.toString());
        a.put("only_lora", true);
        a.put("concat_refs", concatRefs);
        a.put("lora_rank", loraRank == null ? 128 : loraRank);
        a.put("pe", pe);
        a.put("content_ref", contentRef);
        a.put("ckpt_path", null);
        a.put("use_siglip", true);
        a.put("instruct_edit", instructEdit);
        a.put("hf_download", false);
        return a;
    }
}
