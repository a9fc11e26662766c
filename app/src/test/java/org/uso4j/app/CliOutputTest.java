package org.uso4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.pipeline.image.PngFile;

/**
 * A new user's first hour with {@code generate}: a second run writes a new file (and says which), batches resume and
 * say so, ordinary mistakes give one error line (exit 2) without a stack trace, and the console output is one
 * clean line per event: header, loaded components, progress, results on stdout.
 */
class CliOutputTest {
    static Path golden, tiny, style;

    @BeforeAll static void locate() {
        golden = Path.of(System.getProperty("uso4j.golden", "../shared/golden"));
        tiny = golden.resolve("pipeline_tiny");
        style = golden.resolve("preprocess/synth_strokes_700x160.png");
        Assumptions.assumeTrue(Files.isDirectory(tiny), "pipeline_tiny not found");
        GenerateCommandTest.locate();
    }

    static String[] generate(Path out, String prompt, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("generate", "--models", tiny.toString(), "--prompt", prompt, "--width", "32", "--height", "32",
                "--num-steps", "2", "--save-path", out.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test void aSecondSinglePromptRunWritesANewFileAndSaysWhich(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("o");
        Cli first = Cli.run(generate(out, "A cat.", "--seed", "1"));
        assertEquals(0, first.exit(), first.all());
        assertTrue(first.out().contains("wrote " + out.resolve("0_0.png")), first.all());
        byte[] firstImage = Files.readAllBytes(out.resolve("0_0.png"));
        Cli second = Cli.run(generate(out, "A dog.", "--seed", "2"));
        assertEquals(0, second.exit(), second.all());
        assertTrue(second.out().contains("wrote " + out.resolve("1_0.png")), second.all());
        assertTrue(second.err().contains("1 image(s) written"), second.all());
        assertTrue(java.util.Arrays.equals(firstImage, Files.readAllBytes(out.resolve("0_0.png"))), "the first image was kept");
        assertEquals("A dog.", PngFile.readText(out.resolve("1_0.png")).get("uso4j.prompt"));
        assertTrue(Files.readString(out.resolve("1_0.json")).contains("\"prompt\": \"A dog.\""));
        Cli overwrite = Cli.run(generate(out, "A bird.", "--seed", "3", "--overwrite"));
        assertEquals(0, overwrite.exit(), overwrite.all());
        assertTrue(overwrite.out().contains("wrote " + out.resolve("0_0.png")), overwrite.all());
        assertEquals("A bird.", PngFile.readText(out.resolve("0_0.png")).get("uso4j.prompt"));
        assertFalse(Files.exists(out.resolve("2_0.png")));
    }

    @Test void ordinaryMistakesGiveOneErrorLineExitTwoAndNoStackTrace(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("o");
        Map<String, String[]> cases = new java.util.LinkedHashMap<>();
        cases.put("width/height: must be at least 16 pixels, got 5x1024", new String[]{"generate", "--models", tiny.toString(), "--prompt", "x",
                "--width", "5", "--save-path", out.toString()});
        cases.put("pe", generate(out, "x", "--pe", "z"));
        cases.put("missing.png", generate(out, "x", "--style", tmp.resolve("missing.png").toString()));
        cases.put("nowhere", new String[]{"generate", "--models", tmp.resolve("nowhere").toString(), "--prompt", "x"});
        cases.put("--seed", generate(out, "x", "--seed", "-5"));
        cases.put("--num-steps", generate(out, "x", "--num-steps", "many"));
        cases.put("Unknown option", generate(out, "x", "--no-such-flag"));
        cases.put("nospec.json", new String[]{"eval", tmp.resolve("nospec.json").toString(), "--images", tmp.toString()});
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            Cli r = Cli.run(c.getValue());
            assertEquals(2, r.exit(), c.getKey() + ": " + r.all());
            assertTrue(r.err().startsWith("error: ") && r.err().contains(c.getKey()), c.getKey() + ": " + r.all());
            assertFalse(r.err().contains("only once"), r.all());
            assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), c.getKey() + " printed a stack trace: " + r.all());
            assertFalse(Files.exists(out.resolve("0_0.png")));
        }
        Path bad = Files.write(tmp.resolve("bad.safetensors"), new byte[]{1, 2, 3});
        Cli inspect = Cli.run("inspect", bad.toString());
        assertEquals(1, inspect.exit(), inspect.all());
        assertTrue(inspect.err().startsWith("error: ") && inspect.err().contains("bad.safetensors"), inspect.all());
        Cli verbose = Cli.run(generate(out, "x", "--pe", "z", "--verbose"));
        assertEquals(2, verbose.exit());
        assertTrue(verbose.err().contains("\tat "), "--verbose shows the stack trace: " + verbose.all());
    }

    /** The kinds of line a run prints on stderr; anything else (a log line, two things on one line) fails. */
    private static final List<Pattern> STDERR_LINES = List.of(
            Pattern.compile("uso4j generate: style, 32x32, 2 steps, guidance 4\\.0, seed 3407, cpu\\(.*\\)"),
            Pattern.compile("(checking the model files|content encoder|text encoders|style encoder|denoising|decoding) \\.\\.\\."),
            Pattern.compile("  [^:]+: \\d+ tensors, [0-9.]+ MB \\([A-Z0-9_×]+( [A-Z0-9_×]+)*\\) from \\S+ \\[\\d+\\.\\d s\\]"),
            Pattern.compile("\\[#*\\.*\\] [12]/2  \\d+\\.\\d\\d s/step  ETA \\d+:\\d\\d"),
            Pattern.compile("1 image\\(s\\) written to .*"));

    @Test void theConsoleShowsOneEventPerLineAndResultsOnStdout(@TempDir Path tmp) {
        Path out = tmp.resolve("o");
        Cli r = Cli.run(generate(out, "A cat.", "--style", style.toString()));
        assertEquals(0, r.exit(), r.all());
        for (String line : r.err().split("\n")) {
            assertTrue(STDERR_LINES.stream().anyMatch(p -> p.matcher(line).matches()), "unexpected stderr line '" + line + "' in\n" + r.all());
        }
        for (String component : List.of("AutoEncoder", "T5 encoder", "CLIP text encoder", "SigLIP vision tower", "FLUX", "USO LoRA", "style projector")) {
            assertTrue(r.err().contains("  " + component), component + " not reported: " + r.all());
        }
        assertFalse(r.err().contains("ProjectorConfig["), r.all());
        assertFalse(r.err().contains("\033") || r.err().contains("\r"), "control codes when stderr is not a terminal: " + r.all());
        assertTrue(Pattern.compile("wrote \\S+0_0\\.png \\(\\+ 0_0\\.json\\), seed 3407, \\d+\\.\\d s\n").matcher(r.out()).matches(), r.all());

        Cli quiet = Cli.run(generate(out, "A cat.", "--quiet"));
        assertEquals(0, quiet.exit(), quiet.all());
        assertEquals("", quiet.err(), "--quiet prints nothing but the result");
        assertTrue(quiet.out().startsWith("wrote " + out.resolve("1_0.png")), quiet.all());
    }

    @Test void onATerminalTheBarIsRedrawnInPlaceAndOtherLinesGoAboveIt(@TempDir Path tmp) {
        Cli r = Cli.run(true, generate(tmp.resolve("o"), "A cat.", "--style", style.toString()));
        assertEquals(0, r.exit(), r.all());
        // every component line starts a line of its own: the progress line before it was cleared first
        for (String line : r.err().split("\n")) {
            String shown = line.substring(line.lastIndexOf('\r') + 1).replace("\033[K", "");
            assertFalse(shown.contains("...") && shown.contains("tensors"), "a component line inside a progress line: " + line);
        }
        assertTrue(r.err().contains("\r\033[K  FLUX: "), r.all());
    }

    @Test void noArgumentsPrintsTheUsageAndExitsTwo() {
        Cli r = Cli.run();
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("Usage: uso4j") && r.err().contains("generate"), r.all());
    }

    @Test void aBatchResumesAndSaysHowManyItSkippedAndWhy(@TempDir Path tmp) throws IOException {
        Path batch = GenerateCommandTest.stageBatch(tmp);
        Path out = tmp.resolve("b");
        String[] args = {"generate", "--models", tiny.toString(), "--eval_json_path", batch.toString(), "--width", "32", "--height", "32",
                "--num_steps", "1", "--save_path", out.toString()};
        assertEquals(0, Cli.run(args).exit());
        Files.delete(out.resolve("style_0.png"));
        Cli again = Cli.run(args);
        assertEquals(0, again.exit(), again.all());
        assertTrue(again.out().contains("wrote " + out.resolve("style_0.png")) && again.out().lines().count() == 1, again.all());
        assertTrue(again.err().contains("1 image(s) written to " + out + "; 5 skipped: their PNG and JSON already exist"), again.all());
        assertNotEquals(-1, again.err().indexOf("--overwrite"));
    }
}
