package org.uso4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.pipeline.image.PngFile;

/** What {@code generate} leaves on disk: concurrent runs keep both images, seed -1 is random and recorded, PNG metadata and modes. */
class GenerateOutputFilesTest {
    @BeforeAll static void locate() { CliOutputTest.locate(); }

    /** One in-process run with its own console (System.out/err untouched, so runs can overlap). */
    static String runQuietly(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = Main.commandLine(new Console(o, o, false)).execute(args);
        assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test void twoConcurrentRunsOnOneSavePathKeepBothImages(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("shared");
        List<CompletableFuture<String>> runs = new ArrayList<>();
        for (int seed : new int[]{11, 22}) {
            runs.add(CompletableFuture.supplyAsync(() -> runQuietly(CliOutputTest.generate(out, "A cat.", "--seed", String.valueOf(seed), "--threads", "1"))));
        }
        List<String> logs = new ArrayList<>();
        for (CompletableFuture<String> r : runs) logs.add(r.get());
        assertTrue(Files.isRegularFile(out.resolve("0_0.png")) && Files.isRegularFile(out.resolve("1_0.png")), logs.toString());
        List<String> seeds = List.of(PngFile.readText(out.resolve("0_0.png")).get("uso4j.seed"), PngFile.readText(out.resolve("1_0.png")).get("uso4j.seed"));
        assertTrue(seeds.containsAll(List.of("11", "22")), "both runs' images are kept: " + seeds);
        for (String log : logs) assertEquals(1, log.lines().filter(l -> l.startsWith("wrote ")).count(), log);
        assertTrue(logs.stream().anyMatch(l -> l.contains("wrote " + out.resolve("1_0.png"))), "the second writer says where it wrote: " + logs);
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(4, s.count(), "two PNGs and two sidecars, no temporary files");
        }
    }

    @Test void seedMinusOneIsRandomAndTheUsedSeedIsPrintedAndRecorded(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("r");
        Cli r = Cli.run(CliOutputTest.generate(out, "A cat.", "--seed", "-1"));
        assertEquals(0, r.exit(), r.all());
        Matcher header = Pattern.compile("seed (\\d+) \\(random\\)").matcher(r.err());
        assertTrue(header.find(), r.all());
        String used = header.group(1);
        assertTrue(r.out().contains("seed " + used), r.all());
        assertEquals(used, PngFile.readText(out.resolve("0_0.png")).get("uso4j.seed"));
        assertTrue(Files.readString(out.resolve("0_0.json")).contains("\"seed\": " + used + ","), Files.readString(out.resolve("0_0.json")));
        Cli other = Cli.run(CliOutputTest.generate(out, "A cat.", "--seed", "-1"));
        assertNotEquals(used, PngFile.readText(out.resolve("1_0.png")).get("uso4j.seed"), "two random runs, two seeds");
    }

    @Test void pngsCarryAnA1111ParametersStringAndTheSidecarsMode(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("p");
        Cli r = Cli.run(CliOutputTest.generate(out, "A red bicycle.", "--seed", "42", "--guidance", "3.5"));
        assertEquals(0, r.exit(), r.all());
        Map<String, String> text = PngFile.readText(out.resolve("0_0.png"));
        assertEquals("A red bicycle.\nSteps: 2, Sampler: Euler, Schedule type: Simple, CFG scale: 1, Distilled CFG Scale: 3.5, Seed: 42, Size: 32x32, "
                + "Model: flux1-dev.safetensors + dit_lora.safetensors, USO mode: text-to-image", text.get("parameters"));
        assertEquals(Files.getPosixFilePermissions(out.resolve("0_0.json")), Files.getPosixFilePermissions(out.resolve("0_0.png")),
                "the PNG follows the umask like its sidecar");
    }
}
