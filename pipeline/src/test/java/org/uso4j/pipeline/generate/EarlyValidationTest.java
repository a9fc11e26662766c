package org.uso4j.pipeline.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.core.backend.CpuBackend;

/** Bad inputs are found before any heavy computation: every model file, every image, the output folder. */
class EarlyValidationTest {
    static final Path GOLDEN = Path.of(System.getProperty("uso4j.golden", "../shared/golden"));

    @BeforeAll static void locate() {
        Assumptions.assumeTrue(Files.isDirectory(GOLDEN.resolve("pipeline_tiny")));
    }

    /** A copy of the tiny model set's weights under {@code tmp/models}. */
    static Path copyOfTiny(Path tmp) throws IOException {
        Path src = GOLDEN.resolve("pipeline_tiny/weights"), dst = tmp.resolve("models/weights");
        try (Stream<Path> all = Files.walk(src)) {
            for (Path p : all.toList()) {
                Path to = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(to);
                else Files.copy(p, to);
            }
        }
        return tmp.resolve("models");
    }

    /** A copy of the tiny model set whose {@code relative} file keeps only its first half. */
    static Path withTruncated(Path tmp, String relative) throws IOException {
        Path models = copyOfTiny(tmp);
        Path broken = models.resolve("weights").resolve(relative);
        byte[] b = Files.readAllBytes(broken);
        Files.write(broken, java.util.Arrays.copyOf(b, b.length / 2));
        return models;
    }

    /** Records the stages a generation reached. */
    static final class Stages implements Progress {
        final List<String> seen = new ArrayList<>();
        @Override public void stage(String name) { seen.add(name); }
        @Override public void step(int step, int total, double s, double eta, Preview p) { seen.add("step " + step); }
    }

    static void refusedBeforeAnyStage(Path models, String file, boolean offload) {
        Stages stages = new Stages();
        try (UsoPipeline p = UsoPipeline.open(ModelFiles.discover(models, Map.of()), new CpuBackend(1), PipelineOptions.defaults().withOffload(offload))) {
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> p.generate(GenerationRequest.builder("A cat.").size(32, 32).steps(2).build(), stages));
            assertTrue(String.valueOf(e.getMessage()).contains(file), e.toString());
        }
        // the check itself is announced (a7a8874); no stage that computes comes before the refusal
        assertEquals(List.of("checking the model files"), stages.seen, "nothing was computed before the broken " + file + " was found");
    }

    @Test void aTruncatedVaeIsFoundBeforeTheTextEncoders(@TempDir Path tmp) throws IOException {
        Path models = withTruncated(tmp, "FLUX.1-dev/ae.safetensors");
        refusedBeforeAnyStage(models, "ae.safetensors", false);
        refusedBeforeAnyStage(models, "ae.safetensors", true);
    }

    @Test void aTruncatedFluxFileIsFoundBeforeTheTextEncoders(@TempDir Path tmp) throws IOException {
        Path models = withTruncated(tmp, "FLUX.1-dev/flux1-dev.safetensors");
        refusedBeforeAnyStage(models, "flux1-dev.safetensors", false);
        refusedBeforeAnyStage(models, "flux1-dev.safetensors", true);
    }

    static BatchGeneration.Settings settings(Path savePath) {
        return new BatchGeneration.Settings(GenerationRequest.builder("").size(32, 32).steps(1).build(), 1, savePath, false, false, Map.of(),
                BatchGeneration.Existing.SKIP);
    }

    @Test void anUnwritableSavePathOrABadImageOfALaterItemIsFoundBeforeTheFirstGeneration(@TempDir Path tmp) throws IOException {
        Stages stages = new Stages();
        BatchGeneration.Listener listener = () -> stages;
        Path notAFolder = Files.writeString(tmp.resolve("file"), "x");
        try (UsoPipeline p = UsoPipeline.open(ModelFiles.discover(GOLDEN.resolve("pipeline_tiny"), Map.of()), new CpuBackend(1), PipelineOptions.defaults())) {
            List<BatchEntry> one = List.of(new BatchEntry("A cat.", List.of(), null));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BatchGeneration.run(p, one, tmp, settings(notAFolder.resolve("out")), listener));
            assertTrue(e.getMessage().contains("--save-path") && e.getMessage().contains("cannot write"), e.getMessage());

            Path bad = Files.write(tmp.resolve("bad.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 1});
            List<BatchEntry> two = List.of(new BatchEntry("A cat.", List.of(), null), new BatchEntry("A dog.", List.of("", bad.toString()), null));
            RuntimeException r = assertThrows(RuntimeException.class, () -> BatchGeneration.run(p, two, null, settings(tmp.resolve("out")), listener));
            assertTrue(r.getMessage().contains("bad.png"), r.getMessage());
        }
        assertEquals(List.of(), stages.seen, "the first item was not generated");
    }
}
