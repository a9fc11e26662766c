package org.uso4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.pipeline.eval.MetricModels;
import org.uso4j.pipeline.eval.PairScores;
import org.uso4j.pipeline.image.ImageDecoder;
import org.uso4j.pipeline.image.PngFile;
import org.uso4j.pipeline.image.RgbImage;

/** {@code uso4j eval} end to end on the tiny golden metric models and a few generated PNGs, checked against the metric functions. */
class EvalCommandTest {
    private static final Path METRICS = Path.of(System.getProperty("uso4j.golden", "../shared/golden")).resolve("metrics");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    private Path clip, dino, csd;

    @Test
    void scoresAFolderResumesAndWritesTheReports() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(METRICS.resolve("clip_tiny")));
        clip = METRICS.resolve("clip_tiny/weights.safetensors");
        dino = METRICS.resolve("dino_tiny/weights.safetensors");
        csd = METRICS.resolve("csd_tiny/pytorch_model.bin");
        Path images = tmp.resolve("gen"), out = tmp.resolve("out");
        png(tmp.resolve("refs/subject_a.png"), 60, 45, 1);
        png(tmp.resolve("refs/subject_b.png"), 40, 52, 2);
        png(tmp.resolve("refs/style_x.png"), 50, 50, 3);
        png(images.resolve("subj/a_cat_0.png"), 48, 48, 4);
        png(images.resolve("subj/a_cat_1.png"), 64, 40, 5);
        png(images.resolve("subj/a_chair_0.png"), 30, 70, 6);
        png(images.resolve("subj/b_0.png"), 48, 48, 7);
        png(images.resolve("style/x_0.png"), 56, 44, 8);
        png(images.resolve("4_0.png"), 44, 56, 9);
        String prompt2 = "a dog <b>&amp;</b> 'quoted'";
        Path spec = tmp.resolve("bench.json");
        Files.writeString(spec, """
                [{"prompt": "a cat", "image_paths": ["refs/subject_a.png"], "save_dir": "subj/a_cat"},
                 {"prompt": "a cat on a chair", "image_paths": ["refs/subject_a.png"], "save_dir": "subj/a_chair"},
                 {"prompt": %s, "image_paths": ["refs/subject_b.png"], "save_dir": "subj/b"},
                 {"prompt": "a house", "image_paths": ["", "refs/style_x.png"], "save_dir": "style/x"},
                 {"prompt": "a cat in this style", "image_paths": ["refs/subject_a.png", "refs/style_x.png"]}]
                """.formatted(JSON.writeValueAsString(prompt2)));
        String[] args = {"eval", spec.toString(), "--images", images.toString(), "--out", out.toString(), "--clip", clip.toString(),
                "--dino", dino.toString(), "--csd", csd.toString()};

        Run first = execute(args);
        assertEquals(0, first.code, first.err);
        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());

        try (MetricModels m = MetricModels.load(clip, clip.resolveSibling("bpe_simple_vocab_16e6.txt.gz"), dino, csd, new CpuBackend(2))) {
            Path a = tmp.resolve("refs/subject_a.png"), b = tmp.resolve("refs/subject_b.png"), x = tmp.resolve("refs/style_x.png");
            List<Path> groupA = List.of(images.resolve("subj/a_cat_0.png"), images.resolve("subj/a_cat_1.png"), images.resolve("subj/a_chair_0.png"));
            List<String> promptsA = List.of("a cat", "a cat", "a cat on a chair");
            List<Path> groupB = List.of(images.resolve("subj/b_0.png"));
            // subject: groups A (items 0, 1: 3 images) and B; benchmark = plain mean over the two groups
            double clipIA = imageMetric(m, "clip", groupA, a), clipIB = imageMetric(m, "clip", groupB, b);
            double dinoA = imageMetric(m, "dino", groupA, a), dinoB = imageMetric(m, "dino", groupB, b);
            double clipTA = clipT(m, groupA, promptsA), clipTB = clipT(m, groupB, List.of(prompt2));
            JsonNode subject = task(report, "subject");
            assertEquals(2, subject.path("groups").size());
            assertEquals(clipIA, subject.path("groups").get(0).path("scores").path("clip_i").asDouble(), 1e-12);
            assertEquals((clipIA + clipIB) / 2, subject.path("scores").path("clip_i").asDouble(), 1e-12);
            assertEquals((dinoA + dinoB) / 2, subject.path("scores").path("dino").asDouble(), 1e-12);
            assertEquals((clipTA + clipTB) / 2, subject.path("scores").path("clip_t").asDouble(), 1e-12);
            JsonNode style = task(report, "style");
            assertEquals(imageMetric(m, "csd", List.of(images.resolve("style/x_0.png")), x), style.path("scores").path("csd").asDouble(), 1e-12);
            assertEquals(clipT(m, List.of(images.resolve("style/x_0.png")), List.of("a house")), style.path("scores").path("clip_t").asDouble(), 1e-12);
            JsonNode both = task(report, "style-subject");
            List<Path> g4 = List.of(images.resolve("4_0.png"));
            assertEquals(imageMetric(m, "csd", g4, x), both.path("scores").path("csd").asDouble(), 1e-12);
            assertEquals(imageMetric(m, "clip", g4, a), both.path("scores").path("clip_i").asDouble(), 1e-12);
            assertEquals(imageMetric(m, "dino", g4, a), both.path("scores").path("dino").asDouble(), 1e-12);
            assertEquals(clipT(m, g4, List.of("a cat in this style")), both.path("scores").path("clip_t").asDouble(), 1e-12);
        }

        String md = Files.readString(out.resolve("report.md")), html = Files.readString(out.resolve("report.html"));
        assertTrue(md.contains("| Method | Subject CLIP-I ↑ | Subject DINO ↑ | Subject CLIP-T ↑ | Style CSD ↑ | Style CLIP-T ↑ |"), md);
        assertTrue(md.contains("| Method | CSD ↑ | CLIP-I ↑ | DINO ↑ | CLIP-T ↑ |"), md);
        assertTrue(html.contains("a dog &lt;b&gt;&amp;amp;&lt;/b&gt; &#39;quoted&#39;"), "prompt escaped");
        assertFalse(html.contains("<b>&amp;</b>"));
        assertTrue(html.contains("src=\"../gen/subj/a_cat_0.png\""), "thumbnails link the images relative to the report");
        assertEquals(5, Files.list(out.resolve("items")).count());

        // resumable and deterministic: a second run reuses every item and writes the same report
        byte[] json1 = Files.readAllBytes(out.resolve("report.json"));
        Run second = execute(args);
        assertEquals(0, second.code, second.err);
        assertEquals(5, second.out.lines().filter(l -> l.endsWith("(cached)")).count(), second.out);
        assertEquals(new String(json1, StandardCharsets.UTF_8), Files.readString(out.resolve("report.json")));
        // a changed image invalidates only its item
        png(images.resolve("subj/b_0.png"), 48, 48, 70);
        Run third = execute(args);
        assertEquals(4, third.out.lines().filter(l -> l.endsWith("(cached)")).count(), third.out);
    }

    @Test
    void namesMissingMetricCheckpointsAndImages() throws Exception {
        Path spec = tmp.resolve("bench.json"), images = Files.createDirectories(tmp.resolve("gen"));
        png(tmp.resolve("ref.png"), 30, 30, 1);
        Files.writeString(spec, "[{\"prompt\": \"p\", \"image_paths\": [\"ref.png\"], \"save_dir\": \"s\"}]");
        Run noClip = execute("eval", spec.toString(), "--images", images.toString());
        assertEquals(2, noClip.code);
        assertTrue(noClip.err.contains("--clip") && noClip.err.contains("openai/clip-vit-base-patch32"), noClip.err);
        Assumptions.assumeTrue(Files.isDirectory(METRICS.resolve("clip_tiny")));
        Run noDino = execute("eval", spec.toString(), "--images", images.toString(), "--clip", METRICS.resolve("clip_tiny/weights.safetensors").toString());
        assertEquals(2, noDino.code);
        assertTrue(noDino.err.contains("--dino") && noDino.err.contains("dino_deitsmall16_pretrain.pth"), noDino.err);
        Run noImage = execute("eval", spec.toString(), "--images", images.toString(), "--clip", METRICS.resolve("clip_tiny/weights.safetensors").toString(),
                "--dino", METRICS.resolve("dino_tiny/weights.safetensors").toString());
        assertEquals(1, noImage.code, "a missing image is a failure of the run, not of its command line");
        assertTrue(noImage.err.contains("s_0.png") && noImage.err.contains("generation not available"), noImage.err);
    }

    private static JsonNode task(JsonNode report, String id) {
        for (JsonNode t : report.path("tasks")) if (t.path("task").asText().equals(id)) return t;
        throw new AssertionError("no task " + id + " in " + report);
    }

    private static double imageMetric(MetricModels m, String kind, List<Path> gen, Path ref) {
        ImageDecoder d = new ImageDecoder();
        java.util.function.Function<RgbImage, float[]> f = switch (kind) {
            case "clip" -> m::clipImage;
            case "dino" -> m::dinoImage;
            default -> m::csdStyle;
        };
        List<float[]> g = new ArrayList<>();
        for (Path p : gen) g.add(f.apply(d.read(p)));
        return PairScores.mean(PairScores.pairs(g, List.of(f.apply(d.read(ref)))));
    }

    private static double clipT(MetricModels m, List<Path> gen, List<String> prompts) {
        double[] v = new double[gen.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = PairScores.clipT(PairScores.cosine(m.clipImage(new ImageDecoder().read(gen.get(i))), m.clipText(prompts.get(i))));
        }
        return PairScores.mean(v);
    }

    static void png(Path file, int w, int h, long seed) throws Exception {
        Files.createDirectories(file.getParent());
        byte[] rgb = new byte[w * h * 3];
        Random r = new Random(seed);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++) rgb[(y * w + x) * 3 + c] = (byte) ((x * (c + 1) * 5 + y * 3 + seed * 40 + r.nextInt(30)) & 0xFF);
        PngFile.write(file, new RgbImage(w, h, rgb), Map.of());
    }

    private record Run(int code, String out, String err) {}

    private static Run execute(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8), e = new PrintStream(err, true, StandardCharsets.UTF_8);
            System.setOut(o);
            System.setErr(e);
            int code = Main.commandLine(new Console(o, e, false)).execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void generatesMissingImagesWithThePipelineThenScoresThem() throws Exception {
        Path tiny = METRICS.resolveSibling("pipeline_tiny");
        Assumptions.assumeTrue(Files.isDirectory(METRICS.resolve("clip_tiny")) && Files.isDirectory(tiny));
        clip = METRICS.resolve("clip_tiny/weights.safetensors");
        dino = METRICS.resolve("dino_tiny/weights.safetensors");
        csd = METRICS.resolve("csd_tiny/pytorch_model.bin");
        png(tmp.resolve("refs/subject.png"), 60, 45, 1);
        png(tmp.resolve("refs/style.png"), 50, 50, 3);
        Path spec = tmp.resolve("bench.json"), images = tmp.resolve("gen"), out = tmp.resolve("out");
        Files.writeString(spec, """
                [{"prompt": "a cat", "image_paths": ["refs/subject.png"], "save_dir": "subject"},
                 {"prompt": "a house", "image_paths": ["", "refs/style.png"], "save_dir": "style"},
                 {"prompt": "", "image_paths": ["refs/subject.png", "refs/style.png"], "save_dir": "both"}]
                """);
        Run r = execute("eval", spec.toString(), "--images", images.toString(), "--out", out.toString(), "--clip", clip.toString(),
                "--dino", dino.toString(), "--csd", csd.toString(), "--generate", "--models", tiny.toString(), "--width", "32",
                "--height", "32", "--num-steps", "1");
        assertEquals(0, r.code, r.err);
        for (String stem : List.of("subject_0", "style_0", "both_0")) {
            RgbImage img = new ImageDecoder().read(images.resolve(stem + ".png"));
            assertEquals(32, img.width());
        }
        for (String f : List.of("report.json", "report.md", "report.html")) assertTrue(Files.isRegularFile(out.resolve(f)), f);
        assertEquals(3, JSON.readTree(out.resolve("report.json").toFile()).path("items").size());
    }
}
