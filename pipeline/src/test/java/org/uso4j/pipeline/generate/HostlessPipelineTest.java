package org.uso4j.pipeline.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.core.backend.DeviceBackend;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.core.device.HostlessBackend;
import org.uso4j.pipeline.image.ImageDecoder;
import org.uso4j.pipeline.image.RgbImage;

/**
 * The whole pipeline on a device backend without a device ({@link HostlessBackend}): every activation is a device
 * tensor, so a host access anywhere in a network or the loop fails. Same images as the scalar backend in every mode,
 * no host transfer inside a denoising step, every weight uploaded once, nothing left allocated after a generation.
 */
class HostlessPipelineTest {
    static RgbImage content, style;

    @BeforeAll static void setUp() {
        Path golden = Path.of(System.getProperty("uso4j.golden", "../shared/golden"));
        Assumptions.assumeTrue(Files.isDirectory(golden.resolve("preprocess")));
        ImageDecoder d = new ImageDecoder();
        content = d.read(golden.resolve("preprocess/synth_grad_517x301.png"));
        style = d.read(golden.resolve("preprocess/synth_strokes_700x160.png"));
    }

    /** t2i, subject, style, multi-style, style-subject. */
    static List<GenerationRequest> everyMode() {
        List<GenerationRequest> out = new ArrayList<>();
        out.add(GenerationRequest.builder("A red bicycle.").size(32, 32).steps(2).build());
        out.add(GenerationRequest.builder("A red bicycle.").content(content).size(32, 32).steps(2).contentLongSide(32).build());
        out.add(GenerationRequest.builder("A red bicycle.").style(style).size(32, 32).steps(2).build());
        out.add(GenerationRequest.builder("A red bicycle.").style(style).style(content).size(32, 32).steps(2).build());
        out.add(GenerationRequest.builder("").content(content).style(style).size(48, 32).steps(2).contentLongSide(32).build());
        return out;
    }

    /** Per step: what crossed outside the preview, and the preview's downloads. */
    private record StepCounts(List<DeviceBackend.Counters> inStep, List<DeviceBackend.Counters> preview) implements Progress {
        StepCounts() { this(new ArrayList<>(), new ArrayList<>()); }

        @Override public void deviceStep(int step, DeviceBackend.Counters in, DeviceBackend.Counters p) {
            inStep.add(in);
            preview.add(p);
        }
    }

    @Test void demoModelEveryModeSameImagesNoTransfersPerStepNothingLeaked(@TempDir Path dir) {
        DemoModel.write(dir, 7);
        ModelFiles files = ModelFiles.discover(dir, Map.of());
        List<GenerationRequest> requests = everyMode();
        List<RgbImage> expected = new ArrayList<>();
        try (UsoPipeline pipe = UsoPipeline.open(files, new ScalarBackend(), PipelineOptions.defaults())) {
            for (GenerationRequest r : requests) expected.add(pipe.generate(r, Progress.NONE).image());
        }
        try (HostlessBackend be = new HostlessBackend();
             UsoPipeline pipe = UsoPipeline.open(files, be, PipelineOptions.defaults().withPreviews(true))) {
            long weightsAfterFirst = -1;
            for (int i = 0; i < requests.size(); i++) {
                StepCounts counts = new StepCounts();
                RgbImage got = pipe.generate(requests.get(i), counts).image();
                String mode = String.valueOf(requests.get(i).settings().get("mode"));
                assertArrayEquals(expected.get(i).rgb(), got.rgb(), mode + ": the same image as the scalar backend");
                assertEquals(requests.get(i).numSteps(), counts.inStep().size(), mode);
                for (int s = 0; s < counts.inStep().size(); s++) {
                    DeviceBackend.Counters c = counts.inStep().get(s);
                    assertEquals(0, c.uploads(), mode + " step " + (s + 1) + ": uploads " + c);
                    assertEquals(0, c.downloads(), mode + " step " + (s + 1) + ": downloads " + c);
                    assertEquals(1, c.statusReads(), mode + " step " + (s + 1) + ": the finite check reads one status word");
                    assertEquals(1, counts.preview().get(s).downloads(), mode + " step " + (s + 1) + ": the preview is one download, counted apart");
                }
                assertEquals(0, be.liveBuffers(), mode + ": every scope freed what it made");
                assertEquals(0, be.openScopes(), mode);
                assertEquals(0, be.weightReadoptions(), mode + ": no weight uploaded twice");
                if (i == 0) weightsAfterFirst = be.weightUploads();
                assertTrue(be.weightUploads() > 0);
                if (i == requests.size() - 1) assertTrue(be.weightUploads() >= weightsAfterFirst);
            }
            long weights = be.weightUploads();
            pipe.generate(requests.get(requests.size() - 1), Progress.NONE);
            assertEquals(weights, be.weightUploads(), "a second generation uploads no weight");
        }
    }
}
