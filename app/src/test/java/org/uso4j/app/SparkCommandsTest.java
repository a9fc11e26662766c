package org.uso4j.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.pipeline.generate.DemoModel;

/**
 * {@code uso4j spark generate} and {@code uso4j spark eval} on {@code local[2]}: the same files as {@code uso4j generate}
 * (PNGs with their text chunks, sidecars) and the same reports as {@code uso4j eval}, byte for byte.
 */
@Tag("spark")
class SparkCommandsTest {
    @TempDir Path tmp;

    @Test void sparkGenerateWritesWhatGenerateWrites() throws IOException {
        Path models = tmp.resolve("models");
        DemoModel.write(models, 11);
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.copy(Path.of("..", "examples", "subject.png"), data.resolve("subject.png"));
        Files.copy(Path.of("..", "examples", "style.png"), data.resolve("style.png"));
        Path batch = Files.writeString(data.resolve("batch.json"), """
                [{"prompt": "A cat sleeping on a chair.", "image_paths": ["subject.png", "style.png"], "save_dir": "both"},
                 {"prompt": "A house.", "image_paths": ["", "style.png"]},
                 {"prompt": "", "image_paths": ["subject.png"], "save_dir": "subject"}]""");
        Path out = tmp.resolve("out"), ref = tmp.resolve("ref");
        String[] common = {"--models", models.toString(), "--eval-json-path", batch.toString(), "--width", "64", "--height", "48", "--num-steps", "2",
                "--content-ref", "64", "--num-images-per-prompt", "2", "--precision", "f32", "--threads", "2", "--save-path", out.toString()};
        GenerateCommandTest.Run g = GenerateCommandTest.run(concat(new String[]{"generate"}, common));
        assertEquals(0, g.exit(), g.err());
        Files.move(out, ref);
        GenerateCommandTest.Run s = GenerateCommandTest.run(concat(new String[]{"spark", "generate", "--master", "local[2]"}, common));
        assertEquals(0, s.exit(), s.err());
        assertTrue(s.err().contains("6 image(s) written"), s.err());
        Map<String, byte[]> ours = files(out), theirs = files(ref);
        assertEquals(theirs.keySet(), ours.keySet());
        assertEquals(12, ours.size());
        theirs.forEach((name, bytes) -> assertArrayEquals(bytes, ours.get(name), name));

        // --models as a URI (its // kept as typed): copied into --model-cache, the same files again
        Files.move(out, tmp.resolve("out-plain"));
        String[] uri = common.clone();
        uri[1] = "file://" + models.toAbsolutePath();
        Path cache = tmp.resolve("cache");
        GenerateCommandTest.Run u = GenerateCommandTest.run(concat(new String[]{"spark", "generate", "--master", "local[2]", "--model-cache", cache.toString()}, uri));
        assertEquals(0, u.exit(), u.err());
        Map<String, byte[]> fromUri = files(out);
        assertEquals(theirs.keySet(), fromUri.keySet());
        theirs.forEach((name, bytes) -> assertArrayEquals(bytes, fromUri.get(name), name));
        assertTrue(files(cache).keySet().stream().anyMatch(n -> n.endsWith("flux1-dev.safetensors")), files(cache).keySet().toString());
    }

    @Test void sparkEvalReproducesEvalsReport() throws Exception {
        Path metrics = Path.of(System.getProperty("uso4j.golden", "../shared/golden")).resolve("metrics");
        Assumptions.assumeTrue(Files.isDirectory(metrics.resolve("clip_tiny")), "tiny metric models not found");
        Path images = tmp.resolve("gen"), out = tmp.resolve("report"), first = tmp.resolve("eval-report");
        EvalCommandTest.png(tmp.resolve("refs/subject_a.png"), 60, 45, 1);
        EvalCommandTest.png(tmp.resolve("refs/style_x.png"), 50, 50, 3);
        EvalCommandTest.png(images.resolve("subj/a_cat_0.png"), 48, 48, 4);
        EvalCommandTest.png(images.resolve("subj/a_cat_1.png"), 64, 40, 5);
        EvalCommandTest.png(images.resolve("style/x_0.png"), 56, 44, 8);
        EvalCommandTest.png(images.resolve("2_0.png"), 44, 56, 9);
        Path spec = Files.writeString(tmp.resolve("bench.json"), """
                [{"prompt": "a cat", "image_paths": ["refs/subject_a.png"], "save_dir": "subj/a_cat"},
                 {"prompt": "a house", "image_paths": ["", "refs/style_x.png"], "save_dir": "style/x"},
                 {"prompt": "a cat in this style", "image_paths": ["refs/subject_a.png", "refs/style_x.png"]}]""");
        String[] common = {spec.toString(), "--images", images.toString(), "--out", out.toString(), "--threads", "2",
                "--clip", metrics.resolve("clip_tiny/weights.safetensors").toString(), "--dino", metrics.resolve("dino_tiny/weights.safetensors").toString(),
                "--csd", metrics.resolve("csd_tiny/pytorch_model.bin").toString()};
        GenerateCommandTest.Run e = GenerateCommandTest.run(concat(new String[]{"eval"}, common));
        assertEquals(0, e.exit(), e.err());
        Files.move(out, first);
        GenerateCommandTest.Run s = GenerateCommandTest.run(concat(new String[]{"spark", "eval", "--master", "local[2]"}, common));
        assertEquals(0, s.exit(), s.err());
        for (String f : new String[]{"report.json", "report.md", "report.html"}) {
            assertEquals(Files.readString(first.resolve(f)), Files.readString(out.resolve(f)), f);
        }
        assertEquals(files(first.resolve("items")).keySet(), files(out.resolve("items")).keySet(), "the per-item cache, for resuming");
    }

    @Test void sparkEvalGeneratesMissingImagesInTheExecutorsAsEvalDoes() throws Exception {
        Path metrics = Path.of(System.getProperty("uso4j.golden", "../shared/golden")).resolve("metrics");
        Assumptions.assumeTrue(Files.isDirectory(metrics.resolve("clip_tiny")), "tiny metric models not found");
        Path models = tmp.resolve("models");
        DemoModel.write(models, 5);
        EvalCommandTest.png(tmp.resolve("refs/style_x.png"), 50, 50, 3);
        Path spec = Files.writeString(tmp.resolve("bench.json"), """
                [{"prompt": "a house", "image_paths": ["", "refs/style_x.png"], "save_dir": "style/x"},
                 {"prompt": "a tree", "image_paths": ["", "refs/style_x.png"]}]""");
        Path images = tmp.resolve("gen"), out = tmp.resolve("report"), firstImages = tmp.resolve("eval-gen"), firstOut = tmp.resolve("eval-report");
        String[] common = {spec.toString(), "--images", images.toString(), "--out", out.toString(), "--threads", "2", "--generate",
                "--models", models.toString(), "--width", "32", "--height", "32", "--num-steps", "2",
                "--clip", metrics.resolve("clip_tiny/weights.safetensors").toString(), "--csd", metrics.resolve("csd_tiny/pytorch_model.bin").toString()};
        GenerateCommandTest.Run e = GenerateCommandTest.run(concat(new String[]{"eval"}, common));
        assertEquals(0, e.exit(), e.err());
        Files.move(images, firstImages);
        Files.move(out, firstOut);
        GenerateCommandTest.Run s = GenerateCommandTest.run(concat(new String[]{"spark", "eval", "--master", "local[2]"}, common));
        assertEquals(0, s.exit(), s.err());
        Map<String, byte[]> ours = files(images), theirs = files(firstImages);
        assertEquals(java.util.Set.of("style/x_0.png", "1_0.png"), ours.keySet());
        theirs.forEach((name, bytes) -> assertArrayEquals(bytes, ours.get(name), name));
        assertEquals(Files.readString(firstOut.resolve("report.json")), Files.readString(out.resolve("report.json")));
    }

    @Test void badInputIsOneClearErrorBeforeSparkStarts() {
        GenerateCommandTest.Run r = GenerateCommandTest.run("spark", "generate", "--master", "standalone:x", "--prompt", "x", "--models", tmp.toString());
        assertTrue(r.exit() != 0);
        assertTrue(r.err().contains("expected standalone:N"), r.err());
        GenerateCommandTest.Run noPrompt = GenerateCommandTest.run("spark", "generate", "--master", "local[1]", "--models", tmp.toString());
        assertEquals(2, noPrompt.exit(), noPrompt.err());
        assertTrue(noPrompt.err().contains("give --prompt"), noPrompt.err());
    }

    static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static Map<String, byte[]> files(Path dir) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) m.put(dir.relativize(p).toString(), Files.readAllBytes(p));
        }
        return m;
    }
}
