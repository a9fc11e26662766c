package org.uso4j.pipeline.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.core.backend.CpuBackend;

/** NaN weights give a clear error naming the stage and step, not an all-black image; --allow-nonfinite keeps going. */
class NonFiniteTest {
    @BeforeAll static void locate() {
        Assumptions.assumeTrue(Files.isDirectory(EarlyValidationTest.GOLDEN.resolve("pipeline_tiny")));
    }

    /** The tiny model set with every value of {@code relative} (a BF16 safetensors file) replaced by NaN. */
    static Path withNanWeights(Path tmp, String relative) throws IOException {
        Path models = EarlyValidationTest.copyOfTiny(tmp);
        Path f = models.resolve("weights").resolve(relative);
        byte[] b = Files.readAllBytes(f);
        long header = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        for (int i = (int) (8 + header); i + 1 < b.length; i += 2) {
            b[i] = (byte) 0xC0; // bf16 0x7FC0: quiet NaN
            b[i + 1] = 0x7F;
        }
        Files.write(f, b);
        return models;
    }

    @Test void nanFluxWeightsFailAfterTheFirstStepNamingIt(@TempDir Path tmp) throws IOException {
        Path models = withNanWeights(tmp, "FLUX.1-dev/flux1-dev.safetensors");
        GenerationRequest req = GenerationRequest.builder("A cat.").size(32, 32).steps(3).build();
        try (UsoPipeline p = UsoPipeline.open(ModelFiles.discover(models, Map.of()), new CpuBackend(1), PipelineOptions.defaults())) {
            NonFiniteException e = assertThrows(NonFiniteException.class, () -> p.generate(req, Progress.NONE));
            assertTrue(e.getMessage().contains("denoising step 1 of 3") && e.getMessage().contains("NaN"), e.getMessage());
        }
        try (UsoPipeline p = UsoPipeline.open(ModelFiles.discover(models, Map.of()), new CpuBackend(1), PipelineOptions.defaults().withAllowNonFinite(true))) {
            GenerationResult r = p.generate(req, Progress.NONE);
            assertEquals(32, r.image().width(), "--allow-nonfinite runs to the end");
        }
    }

    @Test void nanClipWeightsFailInTheTextEncoders(@TempDir Path tmp) throws IOException {
        Path models = withNanWeights(tmp, "clip-vit-l14/model.safetensors");
        try (UsoPipeline p = UsoPipeline.open(ModelFiles.discover(models, Map.of()), new CpuBackend(1), PipelineOptions.defaults())) {
            NonFiniteException e = assertThrows(NonFiniteException.class,
                    () -> p.generate(GenerationRequest.builder("A cat.").size(32, 32).steps(2).build(), Progress.NONE));
            assertTrue(e.getMessage().contains("CLIP pooled output"), e.getMessage());
        }
    }
}
