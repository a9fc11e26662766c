package org.uso4j.app.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue bound, cancellation and persistence across restarts. */
class ServerJobsTest {
    static Map<String, Object> hold() { return Map.of("prompt", TinyModels.HOLD, "width", 32, "height", 32, "num_steps", 50); }

    @Test void floodBeyondTheQueueGets429sWhileHealthAnswers(@TempDir Path data) throws Exception {
        try (UsoServer server = UsoServer.start(ServerSettings.local(data, 0, 2), TinyModels.generation())) {
            ApiClient api = new ApiClient(server.uri(), null);
            String running = api.postJson("/v1/jobs", hold()).json().get("id").asText();
            api.awaitRunning(running);
            List<ApiClient.Answer> answers = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                List<Future<ApiClient.Answer>> flood = new ArrayList<>();
                for (int i = 0; i < 16; i++) flood.add(pool.submit(() -> api.postJson("/v1/jobs", hold())));
                JsonNode health = api.get("/health").json();
                assertEquals("ok", health.get("status").asText());
                for (Future<ApiClient.Answer> f : flood) answers.add(f.get());
            }
            List<String> accepted = answers.stream().filter(a -> a.status() == 202).map(a -> a.json().get("id").asText()).toList();
            List<ApiClient.Answer> refused = answers.stream().filter(a -> a.status() == 429).toList();
            assertEquals(2, accepted.size(), "the queue holds 2 behind the running job");
            assertEquals(14, refused.size());
            for (ApiClient.Answer a : refused) {
                assertTrue(Integer.parseInt(a.raw().headers().firstValue("Retry-After").orElse("0")) >= 1, a.raw().headers().toString());
                assertTrue(a.json().get("error").asText().contains("queue is full"), a.text());
            }
            JsonNode health = api.get("/health").json();
            assertEquals(2, health.get("queued").asInt());
            assertEquals(running, health.get("running").asText());
            // the flood's requests raced each other: the queue order is their arrival order, not their submission order
            JsonNode q0 = api.get("/v1/jobs/" + accepted.get(0)).json(), q1 = api.get("/v1/jobs/" + accepted.get(1)).json();
            assertEquals("queued", q0.get("status").asText());
            assertEquals("queued", q1.get("status").asText());
            int p0 = q0.get("progress").get("position").asInt(), p1 = q1.get("progress").get("position").asInt();
            assertEquals(java.util.Set.of(1, 2), java.util.Set.of(p0, p1));
            String first = p0 == 1 ? accepted.get(0) : accepted.get(1), second = p0 == 1 ? accepted.get(1) : accepted.get(0);

            // cancelling a queued job frees its slot at once
            ApiClient.Answer c = api.delete("/v1/jobs/" + first);
            assertEquals(202, c.status(), c.text());
            assertEquals("cancelled", c.json().get("status").asText());
            assertEquals(1, api.get("/v1/jobs/" + second).json().get("progress").get("position").asInt());
            ApiClient.Answer again = api.postJson("/v1/jobs", hold());
            assertEquals(202, again.status(), again.text());
            assertEquals(429, api.postJson("/v1/jobs", hold()).status());

            for (String id : List.of(running, second, again.json().get("id").asText())) api.delete("/v1/jobs/" + id);
            for (String id : List.of(running, accepted.get(0), accepted.get(1), again.json().get("id").asText())) {
                assertEquals("cancelled", api.awaitFinished(id).get("status").asText());
            }
            // a finished job is deleted (204) and then gone
            assertEquals(204, api.delete("/v1/jobs/" + running).status());
            assertEquals(404, api.get("/v1/jobs/" + running).status());
        }
    }

    @Test void cancellingARunningGenerationStopsItAndFreesTheWorker(@TempDir Path data) {
        try (UsoServer server = UsoServer.start(ServerSettings.local(data, 0, 2), TinyModels.generation())) {
            ApiClient api = new ApiClient(server.uri(), null);
            String id = api.postJson("/v1/jobs", Map.of("prompt", "A cat.", "width", 32, "height", 32, "num_steps", 1000)).json().get("id").asText();
            api.awaitRunning(id);
            ApiClient.Answer c = api.delete("/v1/jobs/" + id);
            assertEquals(202, c.status(), c.text());
            List<ApiClient.Event> events = api.events(id);
            assertEquals("cancelled", events.getLast().name(), events.toString());
            JsonNode s = api.get("/v1/jobs/" + id).json();
            assertEquals("cancelled", s.get("status").asText());
            assertEquals(404, api.get("/v1/jobs/" + id + "/image").status());
            String next = api.postJson("/v1/jobs", Map.of("prompt", "A dog.", "width", 32, "height", 32, "num_steps", 1)).json().get("id").asText();
            assertEquals("succeeded", api.awaitFinished(next).get("status").asText());
        }
    }

    @Test void aFinishedJobIsDeletedWithItsImageAndStaysDeletedAfterARestart(@TempDir Path data) throws Exception {
        String id;
        try (UsoServer server = UsoServer.start(ServerSettings.local(data, 0, 2), TinyModels.generation())) {
            ApiClient api = new ApiClient(server.uri(), null);
            id = api.postJson("/v1/jobs", Map.of("prompt", "A cat.", "width", 32, "height", 32, "num_steps", 1, "seed", -1)).json().get("id").asText();
            JsonNode done = api.awaitFinished(id);
            assertEquals("succeeded", done.get("status").asText());
            assertTrue(done.get("settings").get("seed").asLong() >= 0, "the used seed is recorded: " + done);
            try (var files = java.nio.file.Files.list(data.resolve("images"))) {
                assertEquals(1, files.count());
            }
            ApiClient.Answer del = api.delete("/v1/jobs/" + id);
            assertEquals(204, del.status(), del.text());
            assertEquals(404, api.get("/v1/jobs/" + id).status());
            assertEquals(404, api.delete("/v1/jobs/" + id).status());
            try (var files = java.nio.file.Files.list(data.resolve("images"))) {
                assertEquals(0, files.count(), "its image file is gone");
            }
        }
        try (UsoServer again = UsoServer.start(ServerSettings.local(data, 0, 2), TinyModels.generation())) {
            assertEquals(404, new ApiClient(again.uri(), null).get("/v1/jobs/" + id).status(), "not rebuilt from disk");
        }
    }

    @Test void aGenerationThatThrowsFailsTheJobWithAnErrorIdAndTheWorkerGoesOn(@TempDir Path data) {
        Generation tiny = TinyModels.generation();
        Generation broken = (req, progress) -> {
            if (req.prompt().equals("explode")) throw new IllegalStateException("simulated engine failure");
            return tiny.generate(req, progress);
        };
        try (UsoServer server = UsoServer.start(ServerSettings.local(data, 0, 2), broken)) {
            ApiClient api = new ApiClient(server.uri(), null);
            String bad = api.postJson("/v1/jobs", Map.of("prompt", "explode", "width", 32, "height", 32, "num_steps", 1)).json().get("id").asText();
            JsonNode failed = api.awaitFinished(bad);
            assertEquals("failed", failed.get("status").asText());
            assertTrue(failed.get("error").asText().matches("internal error \\(error id [0-9a-f]{12}\\).*simulated engine failure.*"), failed.toString());
            String good = api.postJson("/v1/jobs", Map.of("prompt", "A cat.", "width", 32, "height", 32, "num_steps", 1)).json().get("id").asText();
            assertEquals("succeeded", api.awaitFinished(good).get("status").asText());
        }
    }

    @Test void restartKeepsFinishedResultsAndReportsInterruptedJobs(@TempDir Path data) throws Exception {
        String done, running, queued;
        ExecutorService follower;
        Future<List<ApiClient.Event>> following;
        byte[] png;
        try (UsoServer a = UsoServer.start(ServerSettings.local(data, 0, 2), TinyModels.generation())) {
            ApiClient api = new ApiClient(a.uri(), null);
            done = api.postJson("/v1/jobs", Map.of("prompt", "A cat.", "width", 32, "height", 32, "num_steps", 1)).json().get("id").asText();
            assertEquals("succeeded", api.awaitFinished(done).get("status").asText());
            png = api.get("/v1/jobs/" + done + "/image").body();
            running = api.postJson("/v1/jobs", hold()).json().get("id").asText();
            queued = api.postJson("/v1/jobs", hold()).json().get("id").asText();
            api.awaitRunning(running);
            follower = Executors.newSingleThreadExecutor();
            following = follower.submit(() -> api.events(running));
            ApiClient.sleep(500); // let the follower subscribe
        }
        List<ApiClient.Event> seen = following.get();
        follower.shutdown();
        assertEquals("failed", seen.getLast().name(), "a client following a job when the server stops is told: " + seen);
        assertTrue(seen.getLast().data().get("error").asText().contains("server is stopping"), seen.toString());
        try (UsoServer b = UsoServer.start(ServerSettings.local(data, 0, 2), TinyModels.generation())) {
            ApiClient api = new ApiClient(b.uri(), null);
            JsonNode d = api.get("/v1/jobs/" + done).json();
            assertEquals("succeeded", d.get("status").asText());
            assertEquals("A cat.", d.get("settings").get("prompt").asText());
            assertArrayEquals(png, api.get("/v1/jobs/" + done + "/image").body());
            for (String id : List.of(running, queued)) {
                JsonNode j = api.get("/v1/jobs/" + id).json();
                assertEquals("failed", j.get("status").asText());
                assertEquals(JobRunner.STOPPED, j.get("error").asText(), "recorded when the server stopped");
                assertEquals("failed", api.events(id).getLast().name());
            }
            assertEquals(3, api.get("/v1/jobs").json().get("jobs").size());
        }
        // a crash between writing the PNG and recording success: the result is recovered from the PNG
        try (JobStore store = JobStore.open(data)) {
            store.put(store.get(done).orElseThrow().withStatus(JobStatus.RUNNING));
        }
        try (UsoServer c = UsoServer.start(ServerSettings.local(data, 0, 2), TinyModels.generation())) {
            ApiClient api = new ApiClient(c.uri(), null);
            JsonNode d = api.get("/v1/jobs/" + done).json();
            assertEquals("succeeded", d.get("status").asText(), d.toString());
            assertEquals("A cat.", d.get("settings").get("prompt").asText());
            assertArrayEquals(png, api.get("/v1/jobs/" + done + "/image").body());
        }
    }
}
