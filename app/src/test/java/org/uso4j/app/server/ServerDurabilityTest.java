package org.uso4j.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.app.ChildJvm;

/** A 202 means the job is on disk: kill -9 right after it, a corrupt database, and what a restart makes of them. */
class ServerDurabilityTest {
    static ChildJvm serve(Path data, String... extra) {
        List<String> args = new ArrayList<>(List.of("serve", "--models", TinyModels.dir().toAbsolutePath().toString(),
                "--data-dir", data.toString(), "--port", "0", "--threads", "1"));
        args.addAll(List.of(extra));
        return ChildJvm.start(data.getParent(), args);
    }

    static URI uri(ChildJvm server) {
        String line = server.awaitLine(l -> l.startsWith("uso4j serve: open "), Duration.ofSeconds(60));
        return URI.create(line.substring("uso4j serve: open ".length()).split(" ")[0]);
    }

    @Test void jobsAcceptedJustBeforeAKill9AreThereAfterTheRestart(@TempDir Path tmp) {
        Path data = tmp.resolve("data");
        List<String> accepted = new ArrayList<>();
        try (ChildJvm server = serve(data)) {
            ApiClient api = new ApiClient(uri(server), null);
            for (int i = 0; i < 4; i++) {
                ApiClient.Answer a = api.postJson("/v1/jobs", Map.of("prompt", "A cat.", "width", 32, "height", 32, "num_steps", 1000));
                assertEquals(202, a.status(), a.text());
                accepted.add(a.json().get("id").asText());
            }
            server.signal("KILL"); // at once: the last 202 is a few milliseconds old
            server.awaitExit(Duration.ofSeconds(10));
        }
        try (UsoServer b = UsoServer.start(ServerSettings.local(data, 0, 2), TinyModels.generation())) {
            ApiClient api = new ApiClient(b.uri(), null);
            for (String id : accepted) {
                ApiClient.Answer a = api.get("/v1/jobs/" + id);
                assertEquals(200, a.status(), "job " + id + " accepted before the kill: " + a.text());
                assertEquals("failed", a.json().get("status").asText());
                assertEquals(RestartRecovery.INTERRUPTED, a.json().get("error").asText());
            }
        }
    }

    @Test void sigtermCancelsTheRunningJobRecordsItAndExitsWithinSeconds(@TempDir Path tmp) {
        Path data = tmp.resolve("data");
        String running, queued;
        double seconds;
        try (ChildJvm server = serve(data)) {
            ApiClient api = new ApiClient(uri(server), null);
            // one 2048² step of the tiny model takes ≈ 20 s on 2 cores: a stop that waited for the step would show
            running = api.postJson("/v1/jobs", Map.of("prompt", "A cat.", "width", 2048, "height", 2048, "num_steps", 2)).json().get("id").asText();
            queued = api.postJson("/v1/jobs", Map.of("prompt", "A dog.", "width", 32, "height", 32, "num_steps", 2)).json().get("id").asText();
            long end = System.nanoTime() + 120_000_000_000L;
            while (!api.get("/v1/jobs/" + running).json().path("progress").path("stage").asText().equals("denoising")) {
                assertTrue(System.nanoTime() < end, "never reached denoising");
                ApiClient.sleep(20);
            }
            ApiClient.sleep(300);
            long t0 = System.nanoTime();
            server.signal("TERM");
            server.awaitExit(Duration.ofSeconds(60));
            seconds = (System.nanoTime() - t0) / 1e9;
        }
        System.out.printf("SIGTERM during a 2048² step: exited after %.2f s%n", seconds);
        assertTrue(seconds < 10, "exited " + seconds + " s after SIGTERM");
        try (JobStore store = JobStore.open(data)) {
            for (String id : List.of(running, queued)) {
                JobRecord r = store.get(id).orElseThrow();
                assertEquals(JobStatus.FAILED, r.status(), id);
                assertEquals(JobRunner.STOPPED, r.error(), "recorded at the stop, not left for the next start");
            }
        }
    }

    @Test void aCorruptDatabaseIsMovedAsideAndTheHistoryRebuiltFromTheImages(@TempDir Path data) throws IOException {
        String done;
        try (UsoServer a = UsoServer.start(ServerSettings.local(data, 0, 2), TinyModels.generation())) {
            ApiClient api = new ApiClient(a.uri(), null);
            done = api.postJson("/v1/jobs", Map.of("prompt", "A cat.", "width", 32, "height", 32, "num_steps", 1)).json().get("id").asText();
            assertEquals("succeeded", api.awaitFinished(done).get("status").asText());
        }
        Path db = data.resolve("jobs.mv.db");
        byte[] bytes = Files.readAllBytes(db);
        for (int i = 0; i < Math.min(bytes.length, 8192); i++) bytes[i] = (byte) (i * 31 + 7);
        Files.write(db, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // garbage header, truncated body
        try (UsoServer b = UsoServer.start(ServerSettings.local(data, 0, 2), TinyModels.generation())) {
            ApiClient api = new ApiClient(b.uri(), null);
            JsonNode d = api.get("/v1/jobs/" + done).json();
            assertEquals("succeeded", d.get("status").asText(), d.toString());
            assertEquals("A cat.", d.get("settings").get("prompt").asText());
            assertEquals(200, api.get("/v1/jobs/" + done + "/image").status());
            String next = api.postJson("/v1/jobs", Map.of("prompt", "A dog.", "width", 32, "height", 32, "num_steps", 1)).json().get("id").asText();
            assertEquals("succeeded", api.awaitFinished(next).get("status").asText());
        }
        try (Stream<Path> files = Files.list(data)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("jobs.mv.db.broken-")), "the broken database is kept aside");
        }
    }
}
