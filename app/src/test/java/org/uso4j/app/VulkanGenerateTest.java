package org.uso4j.app;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.core.backend.DeviceBackend;
import org.uso4j.pipeline.generate.DemoModel;
import org.uso4j.pipeline.generate.GenerationRequest;
import org.uso4j.pipeline.generate.ModelFiles;
import org.uso4j.pipeline.generate.PipelineOptions;
import org.uso4j.pipeline.generate.Progress;
import org.uso4j.pipeline.generate.UsoPipeline;
import org.uso4j.pipeline.image.ImageDecoder;
import org.uso4j.pipeline.image.RgbImage;
import org.uso4j.vulkan.OutOfDeviceMemoryException;
import org.uso4j.vulkan.VulkanBackend;
import org.uso4j.vulkan.VulkanContext;
import org.uso4j.vulkan.VulkanInstance;
import org.uso4j.vulkan.VulkanUnavailableException;

/**
 * The whole USO pipeline on Vulkan (lavapipe where there is no GPU): every mode gives the CPU's image within ±2 per
 * channel, a denoising step moves nothing between host and device and falls back to the CPU for nothing, weights are
 * uploaded once, nothing is left allocated after a generation, and a device too small says so.
 */
class VulkanGenerateTest {
    static RgbImage content, style;

    @BeforeAll static void setUp() {
        try (VulkanInstance vi = VulkanInstance.create()) {
            Assumptions.assumeFalse(vi.devices().isEmpty(), "no Vulkan device here (install mesa-vulkan-drivers for lavapipe)");
        } catch (VulkanUnavailableException e) {
            Assumptions.abort("no Vulkan here: " + e.getMessage());
        }
        ImageDecoder d = new ImageDecoder();
        content = d.read(Path.of("../examples/subject.png"));
        style = d.read(Path.of("../examples/style.png"));
    }

    static List<GenerationRequest> everyMode() {
        List<GenerationRequest> out = new ArrayList<>();
        out.add(GenerationRequest.builder("A red bicycle.").size(48, 32).steps(2).seed(3).build());
        out.add(GenerationRequest.builder("A red bicycle.").content(content).size(32, 32).steps(2).contentLongSide(32).seed(4).build());
        out.add(GenerationRequest.builder("A red bicycle.").style(style).size(32, 32).steps(2).seed(5).build());
        out.add(GenerationRequest.builder("A red bicycle.").style(style).style(content).size(32, 32).steps(2).seed(6).build());
        out.add(GenerationRequest.builder("").content(content).style(style).size(48, 32).steps(3).contentLongSide(32).seed(7).build());
        return out;
    }

    private record Steps(List<DeviceBackend.Counters> inStep) implements Progress {
        @Override public void deviceStep(int step, DeviceBackend.Counters in, DeviceBackend.Counters preview) { inStep.add(in); }
    }

    @Test void everyModeGivesTheCpuImageWithNoTransferInAStep(@TempDir Path dir) {
        DemoModel.write(dir, 11);
        ModelFiles files = ModelFiles.discover(dir, Map.of());
        List<GenerationRequest> requests = everyMode();
        List<RgbImage> cpu = new ArrayList<>();
        try (CpuBackend be = new CpuBackend(2); UsoPipeline pipe = UsoPipeline.open(files, be, PipelineOptions.defaults())) {
            for (GenerationRequest r : requests) cpu.add(pipe.generate(r, Progress.NONE).image());
        }
        try (VulkanBackend vk = VulkanBackend.open(0, VulkanContext.Options.defaults(), false);
             UsoPipeline pipe = UsoPipeline.open(files, vk, PipelineOptions.defaults().withPreviews(true))) {
            for (int i = 0; i < requests.size(); i++) {
                Steps steps = new Steps(new ArrayList<>());
                RgbImage got = pipe.generate(requests.get(i), steps).image();
                String mode = String.valueOf(requests.get(i).settings().get("mode"));
                byte[] a = cpu.get(i).rgb(), b = got.rgb();
                assertEquals(a.length, b.length, mode);
                int worst = 0;
                for (int k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs((a[k] & 0xFF) - (b[k] & 0xFF)));
                assertTrue(worst <= 2, mode + ": Vulkan image differs from the CPU's by up to " + worst + " per channel");
                assertEquals(requests.get(i).numSteps(), steps.inStep().size(), mode);
                for (DeviceBackend.Counters c : steps.inStep()) {
                    assertEquals(0, c.transfers(), mode + ": a denoising step moved tensors between host and device: " + c);
                    assertEquals(0, c.cpuFallbacks(), mode + ": " + c);
                }
                assertEquals(0, vk.liveActivations(), mode + ": activations left allocated after the generation");
            }
            // every component is loaded now: generating again uploads no weight
            long weights = vk.weightBytes();
            pipe.generate(requests.get(4), Progress.NONE);
            pipe.generate(requests.get(0), Progress.NONE);
            assertEquals(weights, vk.weightBytes(), "weights uploaded again");
        }
    }

    @Test void offloadStreamsTheWeightsAndGivesTheSameImage(@TempDir Path dir) {
        DemoModel.write(dir, 14);
        ModelFiles files = ModelFiles.discover(dir, Map.of());
        GenerationRequest r = everyMode().get(4);
        RgbImage resident, streamed;
        try (VulkanBackend vk = VulkanBackend.open(0, VulkanContext.Options.defaults(), false);
             UsoPipeline pipe = UsoPipeline.open(files, vk, PipelineOptions.defaults())) {
            resident = pipe.generate(r, Progress.NONE).image();
        }
        try (VulkanBackend vk = VulkanBackend.open(0, VulkanContext.Options.defaults(), true);
             UsoPipeline pipe = UsoPipeline.open(files, vk, PipelineOptions.defaults().withOffload(true))) {
            Steps steps = new Steps(new ArrayList<>());
            streamed = pipe.generate(r, steps).image();
            assertEquals(0, vk.weightBytes(), "no weight stays on the device");
            assertTrue(steps.inStep().get(0).uploads() > 0, "the DiT's weights stream in each step: " + steps.inStep().get(0));
            assertEquals(0, vk.liveActivations());
        }
        assertArrayEquals(resident.rgb(), streamed.rgb(), "streamed weights compute the same image");
    }

    @Test void aDeviceTooSmallForTheModelSaysSo(@TempDir Path dir) {
        DemoModel.write(dir, 12);
        ModelFiles files = ModelFiles.discover(dir, Map.of());
        try (VulkanBackend vk = VulkanBackend.open(0, new VulkanContext.Options(256 << 10, null), false);
             UsoPipeline pipe = UsoPipeline.open(files, vk, PipelineOptions.defaults())) {
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> pipe.generate(GenerationRequest.builder("A cat.").size(32, 32).steps(1).build(), Progress.NONE));
            Throwable cause = e;
            while (cause != null && !(cause instanceof OutOfDeviceMemoryException)) cause = cause.getCause();
            assertNotNull(cause, "an out-of-memory error naming the device: " + e);
            assertTrue(cause.getMessage().contains("out of GPU memory on vulkan:0"), cause.getMessage());
        }
    }

    @Test void theCliRunsOnVulkanAndPrintsEachStepsTransfers(@TempDir Path dir) throws Exception {
        DemoModel.write(dir.resolve("m"), 13);
        Cli r = Cli.run("generate", "--models", dir.resolve("m").toString(), "--prompt", "A cat.", "--width", "32", "--height", "32",
                "--num-steps", "2", "--save-path", dir.resolve("out").toString(), "--device", "vulkan", "--verbose");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("step 1: host transfers 0, cpu fallbacks 0"), r.err());
        assertTrue(r.err().contains("step 2: host transfers 0, cpu fallbacks 0"), r.err());
        assertTrue(Files.isRegularFile(dir.resolve("out/0_0.png")));
        Cli bad = Cli.run("generate", "--models", dir.resolve("m").toString(), "--prompt", "A cat.", "--width", "32", "--height", "32",
                "--save-path", dir.resolve("out").toString(), "--device", "vulkan:99");
        assertNotEquals(0, bad.exit());
        assertTrue(bad.err().contains("no Vulkan device 99"), bad.err());
        assertFalse(bad.err().contains("\tat "), "no stack trace without --verbose: " + bad.err());
    }
}
