package org.uso4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.pipeline.image.ImageDecoder;
import org.uso4j.pipeline.image.RgbImage;

/** {@code uso4j generate} on the tiny model set: every official mode from the batch file, resume, and bad input. */
class GenerateCommandTest {
    static Path golden, tiny;

    @BeforeAll static void locate() {
        golden = Path.of(System.getProperty("uso4j.golden", "../shared/golden"));
        tiny = golden.resolve("pipeline_tiny");
        Assumptions.assumeTrue(Files.isDirectory(tiny), "pipeline_tiny not found");
    }

    record Run(int exit, String err) {}

    static Run run(String... args) {
        Cli c = Cli.run(args);
        return new Run(c.exit(), c.out() + c.err());
    }

    /** The batch file and its images copied so that the relative paths resolve as in the golden folder. */
    static Path stageBatch(Path dir) throws IOException {
        Path pt = Files.createDirectories(dir.resolve("pipeline_tiny")), pre = Files.createDirectories(dir.resolve("preprocess"));
        Files.copy(tiny.resolve("batch.json"), pt.resolve("batch.json"));
        try (Stream<Path> s = Files.list(golden.resolve("preprocess"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".png")).toList()) Files.copy(p, pre.resolve(p.getFileName()));
        }
        return pt.resolve("batch.json");
    }

    @Test void officialBatchReproducesTheOfficialImagesAndSidecarsAndResumes(@TempDir Path tmp) throws IOException {
        Path batch = stageBatch(tmp);
        Path out = tmp.resolve("cli");
        String[] args = {"generate", "--models", tiny.toString(), "--eval_json_path", batch.toString(), "--width", "64", "--height", "64",
                "--num_steps", "4", "--guidance", "4.0", "--seed", "3407", "--lora_rank", "4", "--content_ref", "64", "--pe", "d",
                "--save_path", out.toString(), "--posterior-seed", "2025", "--threads", "2"};
        Run r = run(args);
        assertEquals(0, r.exit(), r.err());
        ImageDecoder dec = new ImageDecoder();
        for (String name : List.of("t2i", "subject", "style", "multistyle", "style_subject", "layout")) {
            RgbImage ours = dec.read(out.resolve(name + "_0.png")), theirs = dec.read(tiny.resolve("cli/" + name + "_0.png"));
            assertEquals(theirs.width(), ours.width());
            int max = 0;
            for (int i = 0; i < ours.rgb().length; i++) max = Math.max(max, Math.abs((ours.rgb()[i] & 0xFF) - (theirs.rgb()[i] & 0xFF)));
            assertTrue(max <= 1, name + ": pixels differ by " + max);
            String sidecar = Files.readString(out.resolve(name + "_0.json"));
            String official = Files.readString(tiny.resolve("cli/" + name + "_0.json"));
            assertEquals(official.replace("\"batch.json\"", "\"" + batch + "\"").replace("\"save_path\": \"cli\"", "\"save_path\": \"" + out + "\""), sidecar, name);
        }
        Run again = run(args);
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.err().contains("6 skipped: their PNG and JSON already exist") && again.err().contains("0 image(s) written"), again.err());
    }

    @Test void singlePromptWithStyleFlagWritesNoPartialFiles(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("o");
        Run r = run("generate", "--models", tiny.toString(), "--prompt", "A red bicycle.", "--style",
                golden.resolve("preprocess/synth_strokes_700x160.png").toString(), "--width", "72", "--height", "40", "--num-steps", "2",
                "--save-path", out.toString());
        assertEquals(0, r.exit(), r.err());
        RgbImage img = new ImageDecoder().read(out.resolve("0_0.png"));
        assertEquals(64, img.width());  // floored to /16 like the official pipeline
        assertEquals(32, img.height());
        try (Stream<Path> s = Files.list(out)) {
            assertTrue(s.noneMatch(p -> p.toString().endsWith(".part")));
        }
    }

    @Test void badInputIsReportedClearly(@TempDir Path tmp) throws IOException {
        Path corrupt = Files.write(tmp.resolve("bad.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Run missingModels = run("generate", "--models", tmp.toString(), "--prompt", "x", "--save-path", tmp.resolve("o").toString());
        assertNotEquals(0, missingModels.exit());
        assertTrue(missingModels.err().contains("FLUX.1-dev transformer") && missingModels.err().contains("black-forest-labs/FLUX.1-dev"), missingModels.err());
        Run badImage = run("generate", "--models", tiny.toString(), "--prompt", "x", "--content", corrupt.toString(), "--width", "32",
                "--height", "32", "--num-steps", "1", "--save-path", tmp.resolve("o").toString());
        assertNotEquals(0, badImage.exit());
        assertTrue(badImage.err().contains("bad.png"), badImage.err());
        Run zero = run("generate", "--models", tiny.toString(), "--prompt", "x", "--width", "0", "--save-path", tmp.resolve("o").toString());
        assertNotEquals(0, zero.exit());
        assertTrue(zero.err().contains("width"), zero.err());
        Run emptyStyle = run("generate", "--models", tiny.toString(), "--prompt", "x", "--image-paths", "", "--width", "32", "--height", "32",
                "--num-steps", "1", "--save-path", tmp.resolve("e").toString());
        assertEquals(0, emptyStyle.exit(), "image_paths [\"\"] is the official text-to-image form: " + emptyStyle.err());
        assertTrue(Files.notExists(tmp.resolve("o/0_0.png")));
    }

    @Test void quantizingAtLoadRunsAndBadValuesAreRefused(@TempDir Path tmp) {
        Run q = run("generate", "--models", tiny.toString(), "--prompt", "A cat.", "--width", "32", "--height", "32", "--num-steps", "1",
                "--quantize", "q8_0", "--save-path", tmp.resolve("q").toString());
        assertEquals(0, q.exit(), q.err());
        assertTrue(Files.isRegularFile(tmp.resolve("q/0_0.png")));
        Run bad = run("generate", "--models", tiny.toString(), "--prompt", "A cat.", "--quantize", "q3", "--save-path", tmp.resolve("b").toString());
        assertNotEquals(0, bad.exit());
        assertTrue(bad.err().contains("--quantize must be q8_0, q4_k or fp8"), bad.err());
    }
}
