package org.uso4j.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.pipeline.image.ImageDecoder;
import org.uso4j.pipeline.image.RgbImage;

/** The API on the tiny model set: submit (JSON and multipart), status, SSE, image, list, health, page, OpenAPI. */
class ServerApiTest {
    @TempDir static Path data;
    static UsoServer server;
    static ApiClient api;

    @BeforeAll static void start() {
        server = UsoServer.start(ServerSettings.local(data, 0, 4), TinyModels.generation());
        api = new ApiClient(server.uri(), null);
    }

    @AfterAll static void stop() {
        if (server != null) server.close();
    }

    static Map<String, Object> small(String prompt) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prompt", prompt);
        m.put("width", 32);
        m.put("height", 32);
        m.put("num_steps", 2);
        m.put("seed", 7);
        m.put("content_ref", 64);
        return m;
    }

    @Test void jsonJobRunsWithProgressEventsAndServesItsImage() {
        Map<String, Object> body = small("A cat sleeping on a chair.");
        body.put("style_images", List.of(Base64.getEncoder().encodeToString(TinyModels.image(40, 30, "png"))));
        body.put("guidance", 3.5);
        body.put("pe", "h");
        body.put("lora_weight", 0.8);
        ApiClient.Answer a = api.postJson("/v1/jobs", body);
        assertEquals(202, a.status(), a.text());
        String id = a.json().get("id").asText();
        assertEquals("/v1/jobs/" + id, a.raw().headers().firstValue("Location").orElse(null));

        List<ApiClient.Event> events = api.events(id);
        List<String> names = events.stream().map(ApiClient.Event::name).toList();
        assertEquals("done", names.getLast(), names.toString());
        assertTrue(names.contains("stage"), names.toString());
        List<JsonNode> steps = events.stream().filter(e -> e.name().equals("step")).map(ApiClient.Event::data).toList();
        assertEquals(2, steps.size(), names.toString());
        assertEquals(2, steps.getLast().get("step").asInt());
        assertEquals(2, steps.getLast().get("total").asInt());
        assertTrue(steps.getLast().has("eta_seconds"));
        assertTrue(steps.getLast().get("preview").asText().startsWith("data:image/png;base64,"));

        JsonNode status = api.get("/v1/jobs/" + id).json();
        assertEquals("succeeded", status.get("status").asText());
        assertEquals("style", status.get("settings").get("mode").asText());
        assertEquals(3.5, status.get("settings").get("guidance").asDouble(), 1e-6);
        assertEquals("h", status.get("settings").get("pe").asText());
        assertEquals(7, status.get("settings").get("seed").asLong());
        assertEquals("/v1/jobs/" + id + "/image", status.get("image_url").asText());

        ApiClient.Answer img = api.get("/v1/jobs/" + id + "/image");
        assertEquals(200, img.status());
        assertEquals("image/png", img.raw().headers().firstValue("Content-Type").orElse(""));
        RgbImage png = new ImageDecoder().read(img.body(), "result");
        assertEquals(32, png.width());
        assertEquals(32, png.height());

        JsonNode list = api.get("/v1/jobs").json().get("jobs");
        assertTrue(list.findValuesAsText("id").contains(id), list.toString());
        // a finished job's event stream is just its terminal event
        assertEquals(List.of("done"), api.events(id).stream().map(ApiClient.Event::name).toList());
    }

    @Test void multipartJobWithContentAndStyleFiles() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("prompt", "");
        fields.put("width", "32");
        fields.put("height", "48");
        fields.put("num_steps", "1");
        fields.put("content_ref", "64");
        fields.put("seed", "-1");
        ApiClient.Answer a = api.postMultipart("/v1/jobs", fields, List.of(
                Map.entry("content_image", TinyModels.image(50, 40, "jpeg")),
                Map.entry("style_image", TinyModels.image(30, 30, "png")),
                Map.entry("style_image", TinyModels.image(20, 36, "bmp"))));
        assertEquals(202, a.status(), a.text());
        JsonNode done = api.awaitFinished(a.json().get("id").asText());
        assertEquals("succeeded", done.get("status").asText(), done.toString());
        assertEquals("layout-preserved", done.get("settings").get("mode").asText());
        assertEquals(2, done.get("settings").get("style_images").asInt());
        assertTrue(done.get("settings").get("seed").asLong() >= 0, "seed -1 draws a random seed");
        RgbImage png = new ImageDecoder().read(api.get(done.get("image_url").asText()).body(), "result");
        assertEquals(32, png.width());
        assertEquals(48, png.height());
    }

    @Test void healthPageAndOpenApi() throws Exception {
        JsonNode h = api.get("/health").json();
        assertEquals("ok", h.get("status").asText());
        assertEquals(false, h.get("auth_required").asBoolean());
        ApiClient.Answer page = api.get("/");
        assertEquals(200, page.status());
        assertTrue(page.text().contains("<title>uso4j"), page.text());
        assertEquals(200, api.get("/app.js").status());
        assertEquals(200, api.get("/style.css").status());
        JsonNode spec = api.get("/openapi.json").json();
        assertNotNull(spec, "openapi.json is JSON");
        assertTrue(spec.get("openapi").asText().startsWith("3."));
        for (String p : List.of("/health", "/v1/jobs", "/v1/jobs/{id}", "/v1/jobs/{id}/events", "/v1/jobs/{id}/image")) {
            assertTrue(spec.get("paths").has(p), p);
        }
        assertTrue(spec.get("paths").get("/v1/jobs/{id}").has("delete"));
        ApiClient.Answer missing = api.get("/v1/jobs/00000000-0000-0000-0000-000000000000");
        assertEquals(404, missing.status());
        assertEquals("id", missing.json().get("field").asText());
        ApiClient.Answer nowhere = api.get("/no/such/path");
        assertEquals(404, nowhere.status());
        assertNotNull(nowhere.json(), nowhere.text());
    }
}
