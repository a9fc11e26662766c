package org.uso4j.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.pipeline.generate.ModelFiles;
import org.uso4j.pipeline.generate.PipelineOptions;
import org.uso4j.pipeline.generate.UsoPipeline;
import org.uso4j.vulkan.VulkanBackend;
import org.uso4j.vulkan.VulkanContext;
import org.uso4j.vulkan.VulkanInstance;
import org.uso4j.vulkan.VulkanUnavailableException;

/** The server on the Vulkan backend: a job completes; a job the device cannot hold fails with the reason and the server goes on. */
class ServerVulkanTest {
    private static void assumeVulkan() {
        try (VulkanInstance vi = VulkanInstance.create()) {
            Assumptions.assumeFalse(vi.devices().isEmpty(), "no Vulkan device here");
        } catch (VulkanUnavailableException e) {
            Assumptions.abort("no Vulkan here: " + e.getMessage());
        }
    }

    private static Map<String, Object> job(int w) { return Map.of("prompt", "A red bicycle.", "width", w, "height", 32, "num_steps", 2); }

    @Test void jobsRunOnTheGpuAndOneTooBigForItFailsWhileTheServerGoesOn(@TempDir Path data) throws Exception {
        assumeVulkan();
        // a device limited to 64 MiB: the tiny model and a 32x32 image fit, a 1024x1024 image's activations do not
        try (VulkanBackend vk = VulkanBackend.open(0, new VulkanContext.Options(64L << 20, null), false);
             UsoPipeline pipe = UsoPipeline.open(ModelFiles.discover(TinyModels.dir(), Map.of()), vk, PipelineOptions.defaults());
             UsoServer server = UsoServer.start(ServerSettings.local(data, 0, 2), pipe::generate)) {
            ApiClient api = new ApiClient(server.uri(), null);
            JsonNode ok = api.awaitFinished(api.postJson("/v1/jobs", job(32)).json().get("id").asText());
            assertEquals("succeeded", ok.get("status").asText(), ok.toString());
            JsonNode big = api.awaitFinished(api.postJson("/v1/jobs", job(1024)).json().get("id").asText());
            assertEquals("failed", big.get("status").asText(), big.toString());
            assertTrue(big.toString().contains("out of GPU memory"), big.toString());
            assertEquals("ok", api.get("/health").json().get("status").asText());
            JsonNode again = api.awaitFinished(api.postJson("/v1/jobs", job(32)).json().get("id").asText());
            assertEquals("succeeded", again.get("status").asText(), "the server still computes after the failure: " + again);
        }
    }
}
