package org.uso4j.app.server;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;

/**
 * Coverage-guided fuzz targets for the HTTP request readers of {@code POST /v1/jobs}: a JSON body is either a
 * request or an {@link ApiException} (a 4xx naming the field); a multipart body sent to a running server is
 * answered with a 2xx or a 4xx, never a 500. Seeds: real request bodies
 * ({@code src/test/resources/org/uso4j/app/server/JobRequestFuzzTestInputs/<target>}).
 */
class JobRequestFuzzTest {
    static final String BOUNDARY = "fuzzboundary";
    private static final JobRequestReader READER = new JobRequestReader(ServerSettings.local(java.nio.file.Path.of("."), 0, 1)
            .withLimits(1 << 20, 1 << 16));
    private static UsoServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @FuzzTest(maxDuration = "30s")
    void json(byte[] body) {
        try {
            READER.fromJson(body);
        } catch (ApiException refused) {
            if (refused.status() < 400 || refused.status() >= 500) throw new AssertionError("status " + refused.status(), refused);
        }
    }

    /** The shared server: small limits, a large queue, generations that fail at once (no model needed). */
    private static synchronized URI server() {
        if (server == null) {
            try {
                ServerSettings s = ServerSettings.local(Files.createTempDirectory("uso4j-fuzz-server"), 0, 10_000).withLimits(1 << 20, 1 << 16);
                server = UsoServer.start(s, (req, progress) -> {
                    throw new IllegalArgumentException("fuzzing: no generation");
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return server.uri().resolve("/v1/jobs");
    }

    @FuzzTest(maxDuration = "30s")
    void multipart(byte[] body) throws Exception {
        // the one connection this target makes is to its own loopback server (Jazzer's SSRF detector is told so)
        try (SilentCloseable loopback = BugDetectors.allowNetworkConnections((host, port) -> host.equals("localhost") || host.equals("127.0.0.1"))) {
            HttpRequest r = HttpRequest.newBuilder(server()).header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            HttpResponse<String> a = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
            if (a.statusCode() >= 500) throw new AssertionError("HTTP " + a.statusCode() + ": " + a.body());
        }
    }
}
