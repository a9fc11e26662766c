package org.uso4j.pipeline.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.pipeline.image.ImageDecoder;
import org.uso4j.pipeline.image.RgbImage;

/** The engine API on the tiny model set: progress, previews, cancellation, offloading, reproducibility. */
class UsoPipelineTest {
    static Path golden;
    static ModelFiles files;
    static RgbImage content, style;

    @BeforeAll static void setUp() {
        golden = Path.of(System.getProperty("uso4j.golden", "../shared/golden"));
        Assumptions.assumeTrue(Files.isDirectory(golden.resolve("pipeline_tiny")));
        files = ModelFiles.discover(golden.resolve("pipeline_tiny"), Map.of());
        ImageDecoder d = new ImageDecoder();
        content = d.read(golden.resolve("preprocess/synth_grad_517x301.png"));
        style = d.read(golden.resolve("preprocess/synth_strokes_700x160.png"));
    }

    static GenerationRequest request() {
        return GenerationRequest.builder("A red bicycle.").content(content).style(style).size(48, 32).steps(3).contentLongSide(64).build();
    }

    @Test void progressReportsStagesStepsAndPreviewsAndTheSeedReproduces() {
        List<String> stages = new ArrayList<>();
        List<Integer> steps = new ArrayList<>();
        List<Progress.Preview> previews = new ArrayList<>();
        Progress p = new Progress() {
            @Override public void stage(String name) { stages.add(name); }
            @Override public void step(int step, int total, double s, double eta, Preview preview) {
                steps.add(step);
                assertEquals(3, total);
                previews.add(preview);
            }
        };
        GenerationResult a, b;
        try (UsoPipeline pipe = UsoPipeline.open(files, new CpuBackend(2), PipelineOptions.defaults().withPreviews(true))) {
            a = pipe.generate(request(), p);
            b = pipe.generate(request(), Progress.NONE);
        }
        assertEquals(List.of("checking the model files", "content encoder", "text encoders", "style encoder", "denoising", "decoding"), stages);
        assertEquals(List.of(1, 2, 3), steps);
        Progress.Preview last = previews.get(2);
        assertNotNull(last);
        assertEquals(48 / 8, last.width());
        assertEquals(32 / 8, last.height());
        assertEquals(48, a.image().width());
        assertArrayEquals(a.image().rgb(), b.image().rgb(), "same request, same image");
        assertEquals("style-subject", a.settings().get("mode"));
    }

    @Test void offloadingGivesTheSameImageAndCancellationStopsTheRun() {
        RgbImage kept, offloaded;
        try (UsoPipeline pipe = UsoPipeline.open(files, new CpuBackend(2), PipelineOptions.defaults())) {
            kept = pipe.generate(request(), Progress.NONE).image();
        }
        try (UsoPipeline pipe = UsoPipeline.open(files, new CpuBackend(2), PipelineOptions.defaults().withOffload(true))) {
            offloaded = pipe.generate(request(), Progress.NONE).image();
            Progress cancelAfterOne = new Progress() {
                int seen;
                @Override public void step(int step, int total, double s, double eta, Preview preview) { seen = step; }
                @Override public boolean cancelled() { return seen >= 1; }
            };
            GenerationCancelledException e = assertThrows(GenerationCancelledException.class, () -> pipe.generate(request(), cancelAfterOne));
            assertTrue(e.getMessage().contains("step 1"), e.getMessage());
            // the pipeline is still usable after a cancelled run
            assertArrayEquals(offloaded.rgb(), pipe.generate(request(), Progress.NONE).image().rgb());
        }
        assertArrayEquals(kept.rgb(), offloaded.rgb());
    }
}
