package org.uso4j.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.app.Main;
import picocli.CommandLine;

/** The API token: required on /v1 when set; refusing to expose a server beyond loopback without one. */
class ServerAuthTest {
    @Test void tokenRequiredWhenSet(@TempDir Path data) {
        try (UsoServer server = UsoServer.start(ServerSettings.local(data, 0, 2).withToken("s3cret"), TinyModels.generation())) {
            ApiClient anonymous = new ApiClient(server.uri(), null), wrong = new ApiClient(server.uri(), "guess"), good = new ApiClient(server.uri(), "s3cret");
            assertEquals(true, anonymous.get("/health").json().get("auth_required").asBoolean());
            assertEquals(200, anonymous.get("/").status());
            ApiClient.Answer a = anonymous.get("/v1/jobs");
            assertEquals(401, a.status());
            assertEquals("Authorization", a.json().get("field").asText());
            assertEquals("Bearer", a.raw().headers().firstValue("WWW-Authenticate").orElse(""));
            assertEquals(401, anonymous.postJson("/v1/jobs", "{\"prompt\": \"\"}").status());
            assertEquals(401, wrong.get("/v1/jobs").status());
            assertEquals(200, good.get("/v1/jobs").status());
            assertEquals(200, anonymous.get("/v1/jobs?access_token=s3cret").status(), "EventSource and <img> pass the token as a query parameter");
        }
    }

    @Test void nonLoopbackWithoutTokenIsRefused(@TempDir Path data) {
        Generation tiny = TinyModels.generation(); // outside the lambda: without the golden models the test is skipped, not failed
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UsoServer.start(ServerSettings.local(data, 0, 2).withHost("0.0.0.0"), tiny));
        assertTrue(e.getMessage().contains("--token"), e.getMessage());
        ServerSettings.local(data, 0, 2).withHost("0.0.0.0").withToken("t").checkExposure();
        ServerSettings.local(data, 0, 2).withHost("::1").checkExposure();
        ServerSettings.local(data, 0, 2).withHost("localhost").checkExposure();
    }

    @Test void serveCommandRefusesToExposeWithoutToken(@TempDir Path data) {
        Assumptions.assumeTrue(System.getenv("USO4J_API_TOKEN") == null, "USO4J_API_TOKEN is set in this environment");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cl = new CommandLine(new Main());
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        int code = cl.execute("serve", "--models", TinyModels.dir().toString(), "--host", "0.0.0.0", "--port", "0", "--data-dir", data.toString());
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, text);
        assertTrue(text.contains("not a loopback address") && text.contains("USO4J_API_TOKEN"), text);
    }

    @Test void aHostThatIsNotAnAddressOfThisMachineIsSaidSoNotPortInUse(@TempDir Path data) {
        // 203.0.113.0/24 is TEST-NET-3: never an address of this machine
        Generation tiny = TinyModels.generation(); // outside the lambdas: without the golden models the test is skipped
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> UsoServer.start(ServerSettings.local(data, 0, 2).withHost("203.0.113.7").withToken("t"), tiny));
        assertTrue(e.getMessage().contains("--host 203.0.113.7: not an address of this machine"), e.getMessage());
        try (UsoServer first = UsoServer.start(ServerSettings.local(data.resolve("a"), 0, 2), TinyModels.generation())) {
            IllegalStateException taken = assertThrows(IllegalStateException.class,
                    () -> UsoServer.start(ServerSettings.local(data.resolve("b"), first.port(), 2), tiny));
            assertTrue(taken.getMessage().contains("--port " + first.port() + ": already in use"), taken.getMessage());
        }
    }
}
