package org.uso4j.app.server;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uso4j.pipeline.generate.GenerationRequest;

/**
 * The endpoints (paths are a contract: other tools rely on them): GET /health, POST /v1/jobs, GET /v1/jobs,
 * GET /v1/jobs/{id}, GET /v1/jobs/{id}/events (SSE), GET /v1/jobs/{id}/image, DELETE /v1/jobs/{id} (cancel a
 * queued or running job, remove a finished one), GET / (the page, its script and style) and GET /openapi.json.
 */
final class JobRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(JobRoutes.class);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final long HEARTBEAT_MS = 15_000;
    private static final int MAX_LIST = 200;

    private final ServerSettings settings;
    private final JobStore store;
    private final JobRunner runner;
    private final JobRequestReader reader;
    private final UsoServer.WebAssets web;
    private int openStreams;

    JobRoutes(ServerSettings settings, JobStore store, JobRunner runner, JobRequestReader reader, UsoServer.WebAssets web) {
        this.settings = settings;
        this.store = store;
        this.runner = runner;
        this.reader = reader;
        this.web = web;
    }

    void register(JavalinDefaultRoutingApi r) {
        r.get("/", ctx -> asset(ctx, "text/html; charset=utf-8", web.index));
        r.get("/app.js", ctx -> asset(ctx, "text/javascript; charset=utf-8", web.script));
        r.get("/form-memory.js", ctx -> asset(ctx, "text/javascript; charset=utf-8", web.formMemory));
        r.get("/history.js", ctx -> asset(ctx, "text/javascript; charset=utf-8", web.history));
        r.get("/style.css", ctx -> asset(ctx, "text/css; charset=utf-8", web.style));
        r.get("/openapi.json", ctx -> asset(ctx, "application/json; charset=utf-8", web.openapi));
        r.get("/health", this::health);
        r.post("/v1/jobs", this::submit);
        r.get("/v1/jobs", this::list);
        r.get("/v1/jobs/{id}", this::status);
        r.delete("/v1/jobs/{id}", this::cancel);
        r.get("/v1/jobs/{id}/image", this::image);
        r.get("/v1/jobs/{id}/events", this::events);
    }

    private static void asset(Context ctx, String type, byte[] body) {
        ctx.contentType(type).header("Cache-Control", "no-cache").result(body);
    }

    private void health(Context ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("queued", runner.queued());
        m.put("queue_capacity", settings.queueCapacity());
        m.put("running", runner.activeJobs().stream().filter(j -> j.record().status() == JobStatus.RUNNING).map(j -> j.id).findFirst().orElse(null));
        m.put("auth_required", settings.token() != null);
        UsoServer.json(ctx, m);
    }

    private void submit(Context ctx) {
        runner.checkCapacity();
        GenerationRequest request = reader.read(ctx);
        Job job = runner.submit(request);
        LOG.info("job {} queued: {} {}x{} {} steps", job.id, request.mode(), request.width(), request.height(), request.numSteps());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", job.id);
        m.put("status", job.record().status().wire());
        m.put("settings", request.settings());
        m.put("status_url", "/v1/jobs/" + job.id);
        m.put("events_url", "/v1/jobs/" + job.id + "/events");
        ctx.header("Location", "/v1/jobs/" + job.id);
        UsoServer.json(ctx.status(202), m);
    }

    private void list(Context ctx) {
        int limit = 50;
        String l = ctx.queryParam("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("limit", "limit: must be an integer, got '" + l + "'");
            }
            if (limit < 1 || limit > MAX_LIST) throw ApiException.badRequest("limit", "limit: must be 1.." + MAX_LIST + ", got " + limit);
        }
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (JobRecord r : store.recent(limit)) {
            Optional<Job> live = runner.active(r.id());
            jobs.add(JobDocument.of(live.map(Job::record).orElse(r), live.orElse(null)));
        }
        UsoServer.json(ctx, Map.of("jobs", jobs));
    }

    private void status(Context ctx) {
        String id = id(ctx);
        Optional<Job> live = runner.active(id);
        JobRecord r = live.map(Job::record).orElseGet(() -> stored(id));
        UsoServer.json(ctx, JobDocument.of(r, live.orElse(null)));
    }

    /** DELETE: cancels a queued or running job (202); removes a finished one, its image file included (204). */
    private void cancel(Context ctx) throws IOException {
        String id = id(ctx);
        Optional<Job> live = runner.active(id);
        if (live.isEmpty()) {
            JobRecord r = stored(id);
            if (!r.status().finished()) throw new ApiException(409, "id", "job " + id + " is " + r.status().wire() + " but not running here");
            if (r.image() != null) Files.deleteIfExists(store.imagesDir().resolve(r.image()));
            store.delete(id);
            LOG.info("job {} deleted ({})", id, r.status().wire());
            ctx.status(204);
            return;
        }
        JobStatus s = runner.cancel(live.get());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("status", s == JobStatus.CANCELLED ? "cancelled" : "cancelling");
        LOG.info("job {} cancel requested ({})", id, m.get("status"));
        UsoServer.json(ctx.status(202), m);
    }

    private void image(Context ctx) throws IOException {
        String id = id(ctx);
        JobRecord r = runner.active(id).map(Job::record).orElseGet(() -> stored(id));
        if (r.status() != JobStatus.SUCCEEDED || r.image() == null) {
            throw new ApiException(404, "id", "job " + id + " has no image (status " + r.status().wire() + ")");
        }
        Path png = store.imagesDir().resolve(r.image());
        if (!Files.isRegularFile(png)) throw new ApiException(404, "id", "job " + id + ": the result file is missing from the data folder");
        boolean download = ctx.queryParam("download") != null;
        ctx.contentType("image/png")
                .header("Content-Disposition", (download ? "attachment" : "inline") + "; filename=\"uso4j-" + id + ".png\"")
                .header("Cache-Control", "private, max-age=86400")
                .result(Files.readAllBytes(png));
    }

    /**
     * Server-Sent Events, written straight to the response on this (virtual) thread: the current state first,
     * then every event until the terminal one; a comment every 15 s keeps proxies open and detects gone clients.
     */
    private void events(Context ctx) throws IOException, InterruptedException {
        String id = id(ctx);
        Optional<Job> live = runner.active(id);
        JobRecord r = live.map(Job::record).orElseGet(() -> stored(id));
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        res.setContentType("text/event-stream");
        res.setCharacterEncoding("UTF-8");
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("X-Accel-Buffering", "no");
        OutputStream out = res.getOutputStream();
        write(out, "retry: 3000\n\n");
        if (live.isEmpty()) {
            send(out, JobRunner.terminalEvent(r));
            return;
        }
        Job job = live.get();
        EventStream stream = job.subscribe();
        synchronized (this) {
            openStreams++;
        }
        try {
            while (true) {
                JobEvent e = stream.poll(HEARTBEAT_MS);
                if (e == null) {
                    write(out, ": keep-alive\n\n");
                    continue;
                }
                if (e == EventStream.END) return;
                send(out, e);
                if (e.terminal()) return;
            }
        } catch (IOException gone) {
            // the client went away: nothing to clean up but the subscription
        } finally {
            job.unsubscribe(stream);
            synchronized (this) {
                openStreams--;
                notifyAll();
            }
        }
    }

    /** Waits (at most {@code millis}) until every event stream has written its last event (server stopping). */
    synchronized void awaitStreamsClosed(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        for (long left = millis; openStreams > 0 && left > 0; left = end - System.currentTimeMillis()) wait(left);
    }

    private static void send(OutputStream out, JobEvent e) throws IOException {
        write(out, "event: " + e.name() + "\ndata: " + Json.write(e.data()) + "\n\n");
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private JobRecord stored(String id) {
        return store.get(id).orElseThrow(() -> new ApiException(404, "id", "no job " + id));
    }

    private static String id(Context ctx) {
        String id = ctx.pathParam("id");
        if (!ID.matcher(id).matches()) throw new ApiException(404, "id", "no job " + id + " (job ids are UUIDs)");
        return id;
    }
}
