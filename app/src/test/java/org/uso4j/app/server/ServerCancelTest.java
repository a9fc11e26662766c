package org.uso4j.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cancel takes effect inside a step (between transformer blocks), and one request's work is bounded. */
class ServerCancelTest {
    @Test void cancellingA2048SquareJobInsideItsFirstStepStopsItWithinTenSeconds(@TempDir Path data) {
        try (UsoServer server = UsoServer.start(ServerSettings.local(data, 0, 2), TinyModels.generation())) {
            ApiClient api = new ApiClient(server.uri(), null);
            String id = api.postJson("/v1/jobs", Map.of("prompt", "A cat.", "width", 2048, "height", 2048, "num_steps", 2)).json().get("id").asText();
            long end = System.nanoTime() + 120_000_000_000L;
            while (!api.get("/v1/jobs/" + id).json().path("progress").path("stage").asText().equals("denoising")) {
                assertTrue(System.nanoTime() < end, "never reached denoising");
                ApiClient.sleep(20);
            }
            ApiClient.sleep(300); // inside step 1
            long t0 = System.nanoTime();
            assertEquals(202, api.delete("/v1/jobs/" + id).status());
            JsonNode done = api.awaitFinished(id);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("cancel of a running 2048² job took %.2f s%n", seconds);
            assertEquals("cancelled", done.get("status").asText(), done.toString());
            assertTrue(seconds < 10, "cancelled after " + seconds + " s");
            assertTrue(done.path("progress").path("step").asInt(0) == 0, "still in step 1 when cancelled: " + done);
        }
    }

    @Test void aRequestAskingForMoreThanThePixelStepLimitIsRefusedNamingIt(@TempDir Path data) {
        try (UsoServer server = UsoServer.start(ServerSettings.local(data, 0, 2).withMaxPixelSteps(512L * 512 * 10), TinyModels.generation())) {
            ApiClient api = new ApiClient(server.uri(), null);
            ApiClient.Answer a = api.postJson("/v1/jobs", Map.of("prompt", "", "width", 1024, "height", 1024, "num_steps", 3));
            assertEquals(400, a.status(), a.text());
            assertEquals("num_steps", a.json().get("field").asText());
            assertTrue(a.json().get("error").asText().contains("1024 × 1024 × 3 = 3145728 exceeds this server's limit of 2621440 (serve --max-pixel-steps)"), a.text());
            assertEquals(202, api.postJson("/v1/jobs", Map.of("prompt", "", "width", 512, "height", 512, "num_steps", 10)).status());
        }
    }
}
