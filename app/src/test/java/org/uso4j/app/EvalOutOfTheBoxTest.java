package org.uso4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.pipeline.eval.DemoMetricModels;

/** {@code demo-model} then {@code eval SPEC --generate --models DIR}: the whole benchmark runs on a fresh clone, no downloads. */
class EvalOutOfTheBoxTest {
    @Test void evalRunsOnTheDemoModelsWithTheGenerateOptions(@TempDir Path tmp) throws Exception {
        Path demo = tmp.resolve("demo");
        assertEquals(0, Cli.run("demo-model", demo.toString()).exit());
        for (String d : new String[]{DemoMetricModels.CLIP_DIR, DemoMetricModels.DINO_DIR, DemoMetricModels.CSD_DIR}) {
            assertTrue(Files.isDirectory(demo.resolve(d)), d);
        }
        Path work = Files.createDirectories(tmp.resolve("bench"));
        Files.copy(Path.of("../examples/subject.png"), work.resolve("subject.png"));
        Files.copy(Path.of("../examples/style.png"), work.resolve("style.png"));
        Path spec = Files.writeString(work.resolve("spec.json"), """
                [{"prompt": "a cat", "image_paths": ["subject.png"], "save_dir": "subj"},
                 {"prompt": "a house", "image_paths": ["", "style.png"], "save_dir": "sty"},
                 {"prompt": "a cat, styled", "image_paths": ["subject.png", "style.png"], "save_dir": "both"}]""");
        Path images = work.resolve("out");

        Cli missing = Cli.run("eval", spec.toString(), "--images", work.toString(), "--models", demo.toString());
        assertEquals(1, missing.exit(), missing.all());
        assertTrue(missing.err().contains("uso4j generate --eval-json-path") && !missing.err().contains("inference.py"), missing.all());

        Cli r = Cli.run("eval", spec.toString(), "--generate", "--models", demo.toString(), "--images", images.toString(), "--width", "32",
                "--height", "32", "--num-steps", "1", "--pe", "w", "--content-ref", "64", "--precision", "f32", "--quantize", "q8_0", "--offload",
                "--clip", demo.resolve(DemoMetricModels.CLIP_DIR).toString());
        assertEquals(0, r.exit(), r.all());
        JsonNode report = new ObjectMapper().readTree(images.resolve("eval/report.json").toFile());
        String text = report.toString();
        for (String metric : new String[]{"clip_i", "dino", "clip_t", "csd"}) assertTrue(text.toLowerCase().contains(metric), metric + ": " + text);
        assertTrue(Files.isRegularFile(images.resolve("subj_0.png")) && Files.isRegularFile(images.resolve("both_0.png")), r.all());
        assertTrue(r.err().contains("  OpenAI CLIP (") && r.err().contains("  DINO ViT (") && r.err().contains("  CSD ("), r.all());
    }
}
