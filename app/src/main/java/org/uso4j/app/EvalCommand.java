package org.uso4j.app;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.uso4j.core.backend.Backend;
import org.uso4j.pipeline.eval.BenchmarkItem;
import org.uso4j.pipeline.eval.DemoMetricModels;
import org.uso4j.pipeline.eval.BenchmarkSpec;
import org.uso4j.pipeline.eval.EvalReport;
import org.uso4j.pipeline.eval.Evaluation;
import org.uso4j.pipeline.eval.ImageGenerator;
import org.uso4j.pipeline.eval.PipelineImageGenerator;
import org.uso4j.pipeline.generate.GenerationRequest;
import org.uso4j.pipeline.generate.PipelineOptions;
import org.uso4j.pipeline.generate.UsoPipeline;
import org.uso4j.pipeline.eval.Metric;
import org.uso4j.pipeline.eval.MetricModels;
import org.uso4j.pipeline.eval.ReportFiles;
import org.uso4j.pipeline.eval.TaskType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "eval", mixinStandardHelpOptions = true, description = {
        "Scores generated images with the USO-Bench metrics (CLIP-I, DINO, CLIP-T, CSD) and writes report.json, report.md, report.html.",
        "SPEC is USO's --eval_json_path list of {prompt, image_paths, save_dir}, optionally with content_refs, style_refs, task, group per item."})
final class EvalCommand implements Callable<Integer> {
    static final String CLIP_SOURCE = "OpenAI CLIP ViT-B/32: the Hugging Face folder openai/clip-vit-base-patch32 (model.safetensors + config.json),"
            + " or the ViT-B/32 state dict saved as safetensors/torch.save (the TorchScript ViT-B-32.pt itself is not a state dict)";
    static final String CLIP_VOCAB_SOURCE = "bpe_simple_vocab_16e6.txt.gz from openai/CLIP (clip/), or a folder with vocab.json + merges.txt";
    static final String DINO_SOURCE = "DINO ViT-S/16: dino_deitsmall16_pretrain.pth (https://dl.fbaipublicfiles.com/dino/dino_deitsmall16_pretrain/"
            + "dino_deitsmall16_pretrain.pth, torch.hub dino_vits16) or the Hugging Face folder facebook/dino-vits16";
    static final String CSD_SOURCE = "CSD ViT-L: pytorch_model.bin of the Hugging Face repo tomg-group-umd/CSD-ViT-L (learn2phoenix/CSD)";

    @Parameters(index = "0", paramLabel = "SPEC", description = "benchmark spec (JSON list)")
    Path spec;

    @Option(names = "--images", required = true, paramLabel = "DIR",
            description = "folder of generated images: <save_dir>_<j>.png (or <index>_<j>.png), as USO's inference.py --save_path writes them")
    Path images;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder for the reports and the per-item cache (default: <images>/eval)")
    Path out;

    @Option(names = "--clip", paramLabel = "PATH", description = "CLIP ViT-B/32 weights (file or folder), for CLIP-I and CLIP-T (default: <models>/"
            + DemoMetricModels.CLIP_DIR + ")")
    Path clip;

    @Option(names = "--clip-vocab", paramLabel = "PATH", description = "CLIP BPE vocabulary (default: found beside --clip)")
    Path clipVocab;

    @Option(names = "--dino", paramLabel = "PATH", description = "DINO ViT-S/16 weights (file or folder), for DINO (default: <models>/"
            + DemoMetricModels.DINO_DIR + ")")
    Path dino;

    @Option(names = "--csd", paramLabel = "PATH", description = "CSD weights (pytorch_model.bin or folder), for CSD (default: <models>/"
            + DemoMetricModels.CSD_DIR + ")")
    Path csd;

    @Option(names = "--tasks", split = ",", paramLabel = "TASK", description = "only these tasks: subject, style, style-subject (default: all in SPEC)")
    List<String> tasks;

    @Option(names = "--generate", description = "generate missing images with the USO pipeline (needs --models or the per-file options)")
    boolean generate;

    @picocli.CommandLine.Mixin ModelOptions modelOptions;

    @picocli.CommandLine.Mixin GenerationOptions gen;

    @Option(names = "--scalar", description = "score with the single-threaded scalar reference backend")
    boolean scalar;

    /** Main; SparkCommand when this is a mixin of a spark subcommand (which never runs {@link #call}). */
    @picocli.CommandLine.ParentCommand Object parent;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec specModel;

    @Override public Integer call() {
        return run(new PrintStream(System.out, true, StandardCharsets.UTF_8));
    }

    /** What to score and with which metric models (null: not needed), from the options (shared with {@code uso4j spark eval}). */
    record Plan(BenchmarkSpec benchmark, Set<TaskType> wanted, List<BenchmarkItem> items, Set<Metric> metrics, Path clipPath, Path vocab,
                Path dinoPath, Path csdPath, Path outDir) {}

    Plan plan() {
        BenchmarkSpec benchmark = BenchmarkSpec.read(spec);
        Set<TaskType> wanted = EnumSet.noneOf(TaskType.class);
        if (tasks == null || tasks.isEmpty()) benchmark.items().forEach(i -> wanted.add(i.task()));
        else tasks.forEach(t -> wanted.add(TaskType.parse(t)));
        List<BenchmarkItem> items = benchmark.items().stream().filter(i -> wanted.contains(i.task())).toList();
        if (items.isEmpty()) throw new IllegalArgumentException(spec + ": no items of the tasks " + wanted);
        if (generate) {
            try {
                Files.createDirectories(images);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("--images " + images + ": cannot create: " + e.getMessage(), e);
            }
        }
        if (!Files.isDirectory(images)) throw new IllegalArgumentException("--images " + images + ": no such folder");
        Set<Metric> metrics = EnumSet.noneOf(Metric.class);
        items.forEach(i -> metrics.addAll(i.task().metrics()));
        boolean needClip = metrics.contains(Metric.CLIP_I) || metrics.contains(Metric.CLIP_T);
        Path clipPath = needClip ? require(orUnderModels(clip, DemoMetricModels.CLIP_DIR), "--clip", "CLIP-I / CLIP-T", CLIP_SOURCE) : null;
        Path vocab = needClip ? vocab(clipPath) : null;
        Path dinoPath = metrics.contains(Metric.DINO) ? require(orUnderModels(dino, DemoMetricModels.DINO_DIR), "--dino", "DINO", DINO_SOURCE) : null;
        Path csdPath = metrics.contains(Metric.CSD) ? require(orUnderModels(csd, DemoMetricModels.CSD_DIR), "--csd", "CSD", CSD_SOURCE) : null;
        Path outDir = out != null ? out : images.resolve("eval");
        return new Plan(benchmark, wanted, items, metrics, clipPath, vocab, dinoPath, csdPath, outDir);
    }

    int run(PrintStream outStream) {
        Plan p = plan();
        List<BenchmarkItem> items = p.items();
        Set<TaskType> wanted = p.wanted();
        Set<Metric> metrics = p.metrics();
        Path outDir = p.outDir();
        Backend backend = metricBackend().create();
        Console console = ((Main) parent).console();
        console.info(String.format(Locale.ROOT, "uso4j eval: %d items (%s), metrics %s", items.size(), wanted, metrics));
        UsoPipeline pipeline = generate ? UsoPipeline.open(modelOptions.resolve(), gen.backendChoice().create(), gen.pipelineOptions()) : null;
        long t0 = System.nanoTime();
        try (MetricModels models = MetricModels.load(p.clipPath(), p.vocab(), p.dinoPath(), p.csdPath(), backend)) {
            new ProgressBar(console).loaded(models.identity(), (System.nanoTime() - t0) / 1e9);
            ImageGenerator generator = pipeline == null ? ImageGenerator.unavailable() : new PipelineImageGenerator(pipeline,
                    template(), new ProgressBar(console));
            EvalReport report = new Evaluation(models, generator, outStream).run(p.benchmark(), items, images, outDir);
            ReportFiles.write(report, outDir);
            printTables(outStream, report, outDir);
        } finally {
            if (pipeline != null) pipeline.close();
        }
        return 0;
    }

    /** The option's path, else the metric model's folder under --models when it is there (demo-model and download --set eval write them). */
    private Path orUnderModels(Path given, String folder) {
        if (given != null || modelOptions.models == null) return given;
        Path p = modelOptions.models.resolve(folder);
        return Files.exists(p) ? p : null;
    }

    private picocli.CommandLine spec() { return specModel.commandLine(); }

    /** The report's tables and where the files went. */
    static void printTables(PrintStream outStream, EvalReport report, Path outDir) {
        outStream.print(ReportFiles.markdown(report).lines().filter(l -> l.startsWith("| ") || l.startsWith("## Table")).reduce("", (a, b) -> a + b + "\n"));
        outStream.println("wrote " + outDir.resolve("report.json") + ", report.md, report.html");
    }

    /** The settings of images made under --generate (generate's options; a seed of -1 is drawn here, once). */
    GenerationRequest template() { return gen.template(spec(), "", gen.resolveSeed(spec())); }

    /** The options the plan does not carry, for {@code uso4j spark eval}. */
    Path images() { return images; }

    boolean generate() { return generate; }

    ModelOptions modelOptions() { return modelOptions; }

    /** The backend of the pipeline under --generate (generate's --device, --threads, --precision). */
    BackendChoice backendChoice() { return gen.backendChoice(); }

    /** The backend the metric models score on: --device and --threads in f32, or the scalar reference with --scalar. */
    BackendChoice metricBackend() { return BackendChoice.of(gen.device, gen.threads, scalar); }

    PipelineOptions pipelineOptions() { return gen.pipelineOptions(); }

    private static Path require(Path p, String option, String metric, String source) {
        if (p == null) {
            throw new IllegalArgumentException(metric + " needs " + option + " PATH (or --models DIR holding " + DemoMetricModels.CLIP_DIR + ", "
                    + DemoMetricModels.DINO_DIR + ", " + DemoMetricModels.CSD_DIR + ": 'uso4j download --set eval --models DIR' fetches them, "
                    + "'uso4j demo-model DIR' writes tiny ones): " + source);
        }
        if (!Files.exists(p)) throw new IllegalArgumentException(option + " " + p + ": no such file or folder (" + source + ")");
        return p;
    }

    /** --clip-vocab, else the OpenAI merges file or a Hugging Face tokenizer beside the CLIP weights. */
    private Path vocab(Path clipPath) {
        if (clipVocab != null) {
            if (!Files.exists(clipVocab)) throw new IllegalArgumentException("--clip-vocab " + clipVocab + ": no such file or folder (" + CLIP_VOCAB_SOURCE + ")");
            return clipVocab;
        }
        Path dir = Files.isDirectory(clipPath) ? clipPath : clipPath.toAbsolutePath().getParent();
        if (Files.isRegularFile(dir.resolve("bpe_simple_vocab_16e6.txt.gz"))) return dir.resolve("bpe_simple_vocab_16e6.txt.gz");
        if (Files.isRegularFile(dir.resolve("vocab.json")) && Files.isRegularFile(dir.resolve("merges.txt"))) return dir;
        throw new IllegalArgumentException("CLIP-T needs the CLIP tokenizer and none was found beside " + clipPath
                + ": pass --clip-vocab PATH (" + CLIP_VOCAB_SOURCE + ")");
    }
}
