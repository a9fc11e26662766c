package org.uso4j.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.uso4j.core.backend.Backend;
import org.uso4j.pipeline.generate.BatchEntry;
import org.uso4j.pipeline.generate.BatchGeneration;
import org.uso4j.pipeline.generate.GenerationCancelledException;
import org.uso4j.pipeline.generate.GenerationRequest;
import org.uso4j.pipeline.generate.GenerationResult;
import org.uso4j.pipeline.generate.PipelineOptions;
import org.uso4j.pipeline.generate.Progress;
import org.uso4j.pipeline.generate.ShutdownCancellation;
import org.uso4j.pipeline.generate.UsoPipeline;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code uso4j generate}: a superset of the official {@code inference.py} (its flags are accepted with underscores
 * too). Writes PNG + the official JSON sidecar.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"Generates images like the official inference.py (every USO mode, batch files, resumable).",
                "A single prompt writes new files (<n>_<j>.png with the first free n; --overwrite replaces 0_0.png); a batch"
                        + " (--eval-json-path) skips the items whose PNG and JSON exist."})
final class GenerateCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    /** Main; SparkCommand when this is a mixin of a spark subcommand (which never runs {@link #call}). */
    @ParentCommand Object parent;
    @Mixin ModelOptions modelOptions;
    @Mixin OfficialFlags official;
    @Mixin GenerationOptions gen;

    @Option(names = "--prompt", description = "text prompt (may be empty)") String prompt;
    @Option(names = {"--image-paths", "--image_paths"}, arity = "0..*", description = "official convention: first = content image or \"\", the rest = style images")
    List<String> imagePaths;
    @Option(names = "--content", paramLabel = "IMAGE", description = "content (subject) image; repeatable") List<Path> content = new ArrayList<>();
    @Option(names = "--style", paramLabel = "IMAGE", description = "style image; repeatable") List<Path> style = new ArrayList<>();
    @Option(names = {"--eval-json-path", "--eval_json_path"}, paramLabel = "FILE", description = "batch file in the official format (resumable)") Path evalJsonPath;
    @Option(names = {"--num-images-per-prompt", "--num_images_per_prompt"}, defaultValue = "1", description = "images per prompt (seeds seed, seed + 1, ...)") int imagesPerPrompt;
    @Option(names = {"--save-path", "--save_path"}, defaultValue = "output/inference", paramLabel = "DIR", description = "output folder") Path savePath;
    @Option(names = "--overwrite", description = "replace files under the official names (<n>_<j>.png, <save_dir>_<j>.png) instead of writing new ones or skipping")
    boolean overwrite;
    @Option(names = {"--concat-refs", "--concat_refs"}, description = "append the reference images to the right of each result") boolean concatRefs;
    @Option(names = {"--instruct-edit", "--instruct_edit"}, description = "size the output from the content image") boolean instructEdit;
    @Option(names = {"--lora-rank", "--lora_rank"}, description = "accepted for compatibility; the rank is read from the LoRA file (official default 128)") Integer loraRank;

    /**
     * What to generate: the batch items, the folder their image paths are relative to (null: as given), the settings,
     * the seed actually used and notes on official flags (shared with {@code uso4j spark generate}).
     */
    record Plan(List<BatchEntry> entries, Path dataRoot, BatchGeneration.Settings settings, long usedSeed, List<String> notes) {}

    /** The batch, its data root and settings from the options. */
    Plan plan() {
        List<BatchEntry> entries;
        Path dataRoot;
        if (evalJsonPath != null) {
            if (prompt != null || imagePaths != null || !content.isEmpty() || !style.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--eval-json-path cannot be combined with --prompt/--image-paths/--content/--style");
            }
            requireFile("--eval-json-path", evalJsonPath);
            entries = BatchEntry.read(evalJsonPath);
            dataRoot = evalJsonPath.toAbsolutePath().getParent();
        } else {
            if (prompt == null) throw new ParameterException(spec.commandLine(), "give --prompt (may be \"\") or --eval-json-path");
            content.forEach(c -> requireFile("--content", c));
            style.forEach(c -> requireFile("--style", c));
            if (imagePaths != null) imagePaths.stream().filter(p -> !p.isEmpty()).forEach(p -> requireFile("--image_paths", Path.of(p)));
            entries = List.of(content.size() > 1
                    ? new BatchEntry(prompt, stylesAfterEmptyContent(), null, content.stream().map(Path::toString).toList())
                    : new BatchEntry(prompt, imagePaths(), null));
            dataRoot = null;
        }
        List<String> notes = official.check(spec.commandLine(), modelOptions);
        long usedSeed = gen.resolveSeed(spec.commandLine());
        GenerationRequest template = gen.template(spec.commandLine(), prompt == null ? "" : prompt, usedSeed);
        BatchGeneration.Existing existing = overwrite ? BatchGeneration.Existing.OVERWRITE
                : evalJsonPath != null ? BatchGeneration.Existing.SKIP : BatchGeneration.Existing.NEW_NAME;
        BatchGeneration.Settings settings = new BatchGeneration.Settings(template, imagesPerPrompt, savePath, concatRefs, instructEdit,
                sidecarArgs(usedSeed), existing);
        return new Plan(entries, dataRoot, settings, usedSeed, notes);
    }

    @Override public Integer call() {
        Console console = ((Main) parent).console();
        Plan plan = plan();
        List<BatchEntry> entries = plan.entries();
        Path dataRoot = plan.dataRoot();
        BatchGeneration.Settings settings = plan.settings();
        GenerationRequest template = settings.template();
        long usedSeed = plan.usedSeed();
        List<String> notes = plan.notes();
        PipelineOptions options = gen.pipelineOptions();
        Backend be = gen.backendChoice().create();
        org.uso4j.pipeline.generate.ModelFiles files = modelOptions.resolve();
        notes.forEach(console::info);
        console.info(header(entries.size(), template, usedSeed, be.name()));
        ProgressBar bar = new ProgressBar(console);
        int[] skipped = {0};
        try (ShutdownCancellation interrupt = ShutdownCancellation.install(bar::cancel, Duration.ofSeconds(10));
             UsoPipeline pipeline = UsoPipeline.open(files, be, options)) {
            int written;
            try {
                written = BatchGeneration.run(pipeline, entries, dataRoot, settings, new BatchGeneration.Listener() {
                    @Override public void started(int index, int total, Path png) { bar.prefix(total > 1 ? "[" + (index + 1) + "/" + total + "] " : ""); }
                    @Override public void skipped(int index, int total, Path png) { skipped[0]++; }
                    @Override public void finished(int index, int total, Path png, GenerationResult r) {
                        bar.done();
                        console.result(String.format(java.util.Locale.ROOT, "wrote %s (+ %s), seed %s, %.1f s", png, png.getFileName().toString()
                                .replaceFirst("\\.png$", ".json"), r.settings().get("seed"), r.seconds()));
                    }
                    @Override public Progress progress() { return bar; }
                });
            } catch (GenerationCancelledException e) {
                // said here: once this run is closed, the shutdown hook (waiting for it) lets the JVM exit
                bar.done();
                console.error("interrupted: " + e.getMessage() + "; no partial file was written");
                return ErrorReport.CANCELLED;
            }
            console.info(summary(written, skipped[0]));
            return 0;
        } finally {
            bar.done();
        }
    }

    ModelOptions modelOptions() { return modelOptions; }

    BackendChoice backendChoice() { return gen.backendChoice(); }

    PipelineOptions pipelineOptions() { return gen.pipelineOptions(); }

    /** The run in one line: what, how large, how many steps, the seed actually used, where it runs. */
    private String header(int items, GenerationRequest t, long usedSeed, String device) {
        String what = evalJsonPath != null ? "batch of " + items + " item(s) from " + evalJsonPath : mode();
        String size = instructEdit ? "size from the content image" : t.effectiveWidth() + "x" + t.effectiveHeight();
        String images = imagesPerPrompt > 1 ? ", " + imagesPerPrompt + " images per prompt" : "";
        return String.format(java.util.Locale.ROOT, "uso4j generate: %s, %s, %d steps, guidance %s, seed %d%s%s, %s", what, size, t.numSteps(),
                t.guidance(), usedSeed, gen.randomSeed() ? " (random)" : "", images, device);
    }

    /** The mode of a single-prompt run, named as {@link GenerationRequest#mode()} names it. */
    private String mode() {
        List<String> paths = imagePaths != null ? imagePaths : List.of();
        long styles = imagePaths != null ? paths.stream().skip(1).filter(p -> !p.isEmpty()).count() : style.size();
        long contents = imagePaths != null ? (paths.isEmpty() || paths.get(0).isEmpty() ? 0 : 1) : content.size();
        if (contents > 0 && styles > 0) return prompt.isBlank() ? "layout-preserved" : "style-subject";
        if (contents > 0) return contents > 1 ? "multi-subject" : "subject";
        if (styles > 0) return styles > 1 ? "multi-style" : "style";
        return "text-to-image";
    }

    private String summary(int written, int skipped) {
        String w = written + " image(s) written to " + savePath;
        if (skipped == 0) return w;
        return w + "; " + skipped + " skipped: their PNG and JSON already exist (a batch resumes where it stopped; --overwrite makes them again)";
    }

    private void requireFile(String option, Path p) {
        if (!Files.isRegularFile(p)) {
            throw new ParameterException(spec.commandLine(), option + " " + p + ": " + (Files.exists(p) ? "not a regular file" : "no such file"));
        }
    }

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

    /** The official InferenceArgs in their order, as inference.py's sidecar holds them. */
    private Map<String, Object> sidecarArgs(long usedSeed) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("prompt", prompt);
        a.put("image_paths", imagePaths);
        a.put("eval_json_path", evalJsonPath == null ? null : evalJsonPath.toString());
        a.put("offload", gen.offload);
        a.put("num_images_per_prompt", imagesPerPrompt);
        a.put("model_type", "flux-dev");
        a.put("width", gen.width);
        a.put("height", gen.height);
        a.put("num_steps", gen.numSteps);
        a.put("guidance", gen.guidance);
        a.put("seed", usedSeed);
        a.put("save_path", savePath.toString());
        a.put("only_lora", true);
        a.put("concat_refs", concatRefs);
        a.put("lora_rank", loraRank == null ? 128 : loraRank);
        a.put("pe", gen.pe);
        a.put("content_ref", gen.contentRef);
        a.put("ckpt_path", null);
        a.put("use_siglip", true);
        a.put("instruct_edit", instructEdit);
        a.put("hf_download", false);
        official.record(a);
        return a;
    }
}
