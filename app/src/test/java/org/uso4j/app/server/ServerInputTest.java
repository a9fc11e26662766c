package org.uso4j.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad requests: each gets a 4xx JSON answer naming the field and the reason; nothing is queued. */
class ServerInputTest {
    @TempDir static Path data;
    static UsoServer server;
    static ApiClient api;

    @BeforeAll static void start() {
        // small limits so the size checks are cheap to reach: 1 MiB bodies, 4096-pixel images
        ServerSettings s = ServerSettings.local(data, 0, 2).withLimits(1 << 20, 4096);
        server = UsoServer.start(s, TinyModels.generation());
        api = new ApiClient(server.uri(), null);
    }

    @AfterAll static void stop() {
        if (server != null) server.close();
    }

    static void refused(ApiClient.Answer a, int status, String field, String reasonPart) {
        assertEquals(status, a.status(), a.text());
        assertNotNull(a.json(), "JSON error body: " + a.text());
        assertEquals(field, a.json().get("field").isNull() ? null : a.json().get("field").asText(), a.text());
        assertTrue(a.json().get("error").asText().contains(reasonPart), a.text());
    }

    static String b64(byte[] b) { return Base64.getEncoder().encodeToString(b); }

    @Test void malformedBodies() {
        refused(api.postJson("/v1/jobs", "{\"prompt\": \"x\""), 400, "body", "invalid JSON");
        refused(api.postJson("/v1/jobs", "[1, 2]"), 400, "body", "JSON object");
        refused(api.postJson("/v1/jobs", "{\"prompt\": \"a\", \"prompt\": \"b\"}"), 400, "body", "Duplicate");
        refused(api.postRaw("/v1/jobs", "text/plain", "prompt=x".getBytes(StandardCharsets.UTF_8)), 415, "Content-Type", "application/json");
        refused(api.postRaw("/v1/jobs", "application/json", new byte[(1 << 20) + 10]), 413, "body", "larger than");
    }

    @Test void missingOrWronglyTypedFields() {
        refused(api.postJson("/v1/jobs", Map.of("width", 32)), 400, "prompt", "required");
        refused(api.postJson("/v1/jobs", Map.of("prompt", 5)), 400, "prompt", "must be a string");
        refused(api.postJson("/v1/jobs", Map.of("prompt", "", "width", "wide")), 400, "width", "must be an integer");
        refused(api.postJson("/v1/jobs", Map.of("prompt", "", "num_steps", 2.5)), 400, "num_steps", "must be an integer");
        refused(api.postJson("/v1/jobs", Map.of("prompt", "", "guidance", "high")), 400, "guidance", "must be a number");
        refused(api.postJson("/v1/jobs", Map.of("prompt", "", "style_images", "abc")), 400, "style_images", "must be a list");
        refused(api.postJson("/v1/jobs", Map.of("prompt", "", "style_images", List.of(7))), 400, "style_images[0]", "base64 string");
        refused(api.postJson("/v1/jobs", Map.of("prompt", "", "steps", 4)), 400, "steps", "unknown field");
    }

    @Test void outOfRangeValues() {
        refused(api.postJson("/v1/jobs", Map.of("prompt", "", "num_steps", -3)), 400, "num_steps", "1..1000");
        refused(api.postJson("/v1/jobs", Map.of("prompt", "", "width", 100000)), 400, "width", "4096");
        refused(api.postJson("/v1/jobs", Map.of("prompt", "", "width", 64, "height", 8)), 400, "height", "at least 16");
        refused(api.postJson("/v1/jobs", Map.of("prompt", "", "width", 1L << 40)), 400, "width", "out of range");
        refused(api.postJson("/v1/jobs", Map.of("prompt", "", "pe", "z")), 400, "pe", "d, h, w, o");
        refused(api.postJson("/v1/jobs", Map.of("prompt", "", "guidance", 1000)), 400, "guidance", "[0, 100]");
        refused(api.postJson("/v1/jobs", Map.of("prompt", "", "lora_weight", -50)), 400, "lora_weight", "[-10, 10]");
        refused(api.postJson("/v1/jobs", Map.of("prompt", "", "seed", -2)), 400, "seed", "-1 for a random");
        refused(api.postJson("/v1/jobs", Map.of("prompt", "", "posterior", "max")), 400, "posterior", "sample or mean");
        refused(api.postJson("/v1/jobs", Map.of("prompt", "x".repeat(20_001))), 400, "prompt", "at most");
    }

    @Test void badImages() throws Exception {
        refused(api.postJson("/v1/jobs", Map.of("prompt", "", "content_images", List.of("not base64 !!"))), 400, "content_images[0]", "not valid base64");
        refused(api.postJson("/v1/jobs", Map.of("prompt", "", "style_images", List.of(b64("<html>hello</html>".getBytes(StandardCharsets.UTF_8))))),
                400, "style_images[0]", "not a PNG, JPEG, WebP or BMP");
        byte[] gif = TinyModels.image(8, 8, "gif");
        refused(api.postJson("/v1/jobs", Map.of("prompt", "", "style_images", List.of(b64(gif)))), 400, "style_images[0]", "not a PNG, JPEG, WebP or BMP");
        byte[] png = TinyModels.image(20, 20, "png");
        byte[] truncated = java.util.Arrays.copyOf(png, png.length / 2);
        refused(api.postJson("/v1/jobs", Map.of("prompt", "", "style_images", List.of(b64(png), b64(truncated)))), 400, "style_images[1]", "style_images[1]");
        // 100×100 = 10000 pixels > the 4096 limit of this server: refused from the header, before decoding
        refused(api.postJson("/v1/jobs", Map.of("prompt", "", "content_images", List.of(b64(TinyModels.image(100, 100, "png"))))),
                400, "content_images[0]", "exceeds the limit");
        refused(api.postJson("/v1/jobs", Map.of("prompt", "", "style_images", List.of(b64(png), b64(png), b64(png), b64(png), b64(png)))),
                400, "style_images", "at most 4");
        // a decompression bomb: a tiny file declaring 20000×20000 pixels
        refused(api.postJson("/v1/jobs", Map.of("prompt", "", "style_images", List.of(b64(bomb())))), 400, "style_images[0]", "decompression bomb");
    }

    @Test void badMultipart() {
        refused(api.postMultipart("/v1/jobs", Map.of("width", "32"), List.of()), 400, "prompt", "required");
        refused(api.postMultipart("/v1/jobs", Map.of("prompt", "", "num_steps", "many"), List.of()), 400, "num_steps", "must be an integer");
        refused(api.postMultipart("/v1/jobs", Map.of("prompt", "", "colour", "red"), List.of()), 400, "colour", "unknown field");
        refused(api.postMultipart("/v1/jobs", Map.of("prompt", ""), List.of(Map.entry("style_image", "GIF89a....".getBytes(StandardCharsets.UTF_8)))),
                400, "style_image[0]", "not a PNG");
        refused(api.postMultipart("/v1/jobs", Map.of("prompt", ""), List.of(Map.entry("picture", TinyModels.image(8, 8, "png")))),
                400, "picture", "unexpected file field");
        refused(api.postMultipart("/v1/jobs", Map.of("prompt", ""), List.of(Map.entry("style_image", new byte[(1 << 20) + 10]))), 413, "body", "larger than");
    }

    @Test void malformedMultipartBodiesAre4xxNot500() {
        byte[] part = ("--xyz\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nA cat.\r\n--xyz\r\n"
                + "Content-Disposition: form-data; name=\"style_image\"; filename=\"s.png\"\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] truncated = java.util.Arrays.copyOf(part, part.length + 40); // the file part never ends
        refused(api.postRaw("/v1/jobs", "multipart/form-data; boundary=xyz", truncated), 400, "body", "invalid multipart body");
        refused(api.postRaw("/v1/jobs", "multipart/form-data", part), 400, "Content-Type", "boundary");
        refused(api.postRaw("/v1/jobs", "multipart/form-data; boundary=", part), 400, "Content-Type", "boundary");
        refused(api.postRaw("/v1/jobs", "multipart/form-data; boundary=other", part), 400, "body", "invalid multipart body");
        refused(api.postRaw("/v1/jobs", "multipart/form-data; boundary=xyz", new byte[0]), 400, "body", "invalid multipart body");
        refused(api.postRaw("/v1/jobs", "multipart/form-data; boundary=xyz", "garbage\r\n\r\n".getBytes(StandardCharsets.UTF_8)),
                400, "body", "invalid multipart body");
    }

    @Test void aContentImageThatCannotBeResizedIsRefusedAtSubmission() {
        refused(api.postJson("/v1/jobs", Map.of("prompt", "", "content_images", List.of(b64(TinyModels.image(4000, 1, "png"))))),
                400, "content_images[0]", "too thin");
        refused(api.postMultipart("/v1/jobs", Map.of("prompt", ""), List.of(Map.entry("content_image", TinyModels.image(1, 4000, "png")))),
                400, "content_images[0]", "too thin");
    }

    @Test void nothingWasQueuedAndUnknownJobsAre404() {
        assertEquals(0, api.get("/v1/jobs").json().get("jobs").size());
        refused(api.get("/v1/jobs/nope"), 404, "id", "no job");
        refused(api.delete("/v1/jobs/00000000-0000-0000-0000-000000000000"), 404, "id", "no job");
        refused(api.get("/v1/jobs?limit=0"), 400, "limit", "1..200");
    }

    /** A PNG whose header says 20000×20000 (400 M pixels) followed by a few bytes of data. */
    static byte[] bomb() throws Exception {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        byte[] b = out.toByteArray();
        // IHDR width/height at offsets 16..23; fix its CRC (offset 29) so decoders read the header
        java.nio.ByteBuffer.wrap(b, 16, 8).putInt(20000).putInt(20000);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b, 12, 17);
        java.nio.ByteBuffer.wrap(b, 29, 4).putInt((int) crc.getValue());
        return b;
    }
}
