package org.uso4j.app.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A small HTTP client for the API tests (JDK HttpClient): JSON, multipart, SSE. */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final String token;

    ApiClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    record Answer(int status, JsonNode json, byte[] body, HttpResponse<byte[]> raw) {
        String text() { return new String(body, StandardCharsets.UTF_8); }
    }

    record Event(String name, JsonNode data) {}

    Answer get(String path) { return send(request(path).GET()); }

    Answer delete(String path) { return send(request(path).DELETE()); }

    Answer postJson(String path, Object body) {
        try {
            String s = body instanceof String str ? str : JSON.writeValueAsString(body);
            return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(s)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Answer postRaw(String path, String contentType, byte[] body) {
        return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** Multipart: {@code fields} as text parts, {@code files} as (field, bytes) file parts in order. */
    Answer postMultipart(String path, Map<String, String> fields, List<Map.Entry<String, byte[]>> files) {
        String boundary = "----uso4j" + UUID.randomUUID();
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try {
            for (Map.Entry<String, String> f : fields.entrySet()) {
                b.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n" + f.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            int i = 0;
            for (Map.Entry<String, byte[]> f : files) {
                b.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"; filename=\"f" + (i++)
                        + ".png\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                b.write(f.getValue());
                b.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            b.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return postRaw(path, "multipart/form-data; boundary=" + boundary, b.toByteArray());
    }

    /** Reads the SSE stream of a job until its terminal event (or the stream ends); returns every event. */
    List<Event> events(String id) {
        List<Event> out = new ArrayList<>();
        try {
            HttpResponse<java.io.InputStream> r = http.send(request("/v1/jobs/" + id + "/events").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) throw new IllegalStateException("events: HTTP " + r.statusCode());
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String name = null;
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("event: ")) name = line.substring(7);
                    else if (line.startsWith("data: ") && name != null) {
                        out.add(new Event(name, JSON.readTree(line.substring(6))));
                        if (name.equals("done") || name.equals("failed") || name.equals("cancelled")) break;
                        name = null;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Polls the job until it is finished (or 120 s pass); returns its last status answer. */
    JsonNode awaitFinished(String id) {
        long end = System.nanoTime() + 120_000_000_000L;
        while (true) {
            JsonNode j = get("/v1/jobs/" + id).json();
            String s = j.path("status").asText();
            if (s.equals("succeeded") || s.equals("failed") || s.equals("cancelled")) return j;
            if (System.nanoTime() > end) throw new AssertionError("job " + id + " not finished: " + j);
            sleep(50);
        }
    }

    /** Polls until the job is running. */
    void awaitRunning(String id) {
        long end = System.nanoTime() + 120_000_000_000L;
        while (!get("/v1/jobs/" + id).json().path("status").asText().equals("running")) {
            if (System.nanoTime() > end) throw new AssertionError("job " + id + " never ran");
            sleep(20);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(120));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    private Answer send(HttpRequest.Builder b) {
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = null;
            String type = r.headers().firstValue("Content-Type").orElse("");
            if (type.startsWith("application/json")) json = JSON.readTree(r.body());
            return new Answer(r.statusCode(), json, r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
