package org.uso4j.app.server;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code uso4j serve}: the HTTP API, the web page and the OpenAPI description on Javalin (Jetty, virtual threads),
 * around one {@link JobRunner}. The routes are in {@link JobRoutes}; this class wires configuration, limits,
 * authentication and error answers: every refusal is {@code {"error": ..., "field": ...}} with a 4xx status,
 * every internal failure a 500 with an {@code error_id} that is also in the log.
 */
public final class UsoServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UsoServer.class);

    private final ServerSettings settings;
    private final JobStore store;
    private final JobRunner runner;
    private final Javalin app;
    private final JobRoutes routes;
    private final byte[] tokenBytes;

    private UsoServer(ServerSettings settings, JobStore store, JobRunner runner) {
        this.settings = settings;
        this.store = store;
        this.runner = runner;
        this.tokenBytes = settings.token() == null ? null : settings.token().getBytes(StandardCharsets.UTF_8);
        this.routes = new JobRoutes(settings, store, runner, new JobRequestReader(settings), new WebAssets());
        this.app = Javalin.create(cfg -> configure(cfg, routes));
    }

    /**
     * Checks the settings (a non-loopback host needs a token), opens the store under the data folder, reports
     * jobs interrupted by a previous stop, then starts the worker and the HTTP server.
     */
    public static UsoServer start(ServerSettings settings, Generation generation) {
        settings.checkExposure();
        JobStore store = JobStore.open(settings.dataDir());
        try {
            RestartRecovery.run(store);
            JobRunner runner = new JobRunner(generation, store, settings.queueCapacity());
            UsoServer server = new UsoServer(settings, store, runner);
            runner.start();
            try {
                server.app.start(settings.host(), settings.port());
            } catch (RuntimeException e) {
                runner.close();
                throw bindFailure(settings, e);
            }
            LOG.info("uso4j serve: listening on {} (data in {}, queue {}, token {})", server.uri(), settings.dataDir().toAbsolutePath(),
                    settings.queueCapacity(), settings.token() == null ? "off" : "required");
            return server;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Says which of host and port could not be bound (Javalin calls every bind failure "Port already in use"). */
    static RuntimeException bindFailure(ServerSettings settings, RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException b) {
                String m = String.valueOf(b.getMessage());
                if (m.contains("Cannot assign requested address") || m.contains("Can't assign requested address")) {
                    return new IllegalStateException("--host " + settings.host() + ": not an address of this machine (" + m
                            + "); use 127.0.0.1, 0.0.0.0 or one of its interface addresses", e);
                }
                if (m.contains("Address already in use")) {
                    return new IllegalStateException("--port " + settings.port() + ": already in use on " + settings.host()
                            + " (another uso4j serve or another program); choose another with --port", e);
                }
                return new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port() + " (" + m + ")", e);
            }
        }
        return e;
    }

    public int port() { return app.port(); }

    public URI uri() {
        String h = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return URI.create("http://" + h + ":" + port() + "/");
    }

    private void configure(JavalinConfig cfg, JobRoutes routes) {
        cfg.startup.showJavalinBanner = false;
        cfg.startup.showOldJavalinVersionWarning = false;
        cfg.concurrency.useVirtualThreads = true;
        cfg.http.maxRequestSize = settings.maxBodyBytes();
        cfg.jetty.multipartConfig.maxTotalRequestSize(settings.maxBodyBytes(), SizeUnit.BYTES);
        cfg.jetty.multipartConfig.maxFileSize(settings.maxBodyBytes(), SizeUnit.BYTES);
        cfg.routes.before(this::authorize);
        routes.register(cfg.routes);
        cfg.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.field(), e.getMessage()));
        cfg.routes.exception(JobRunner.QueueFullException.class, (e, ctx) -> {
            ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds));
            error(ctx, 429, null, e.getMessage());
        });
        cfg.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), null, e.getMessage()));
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            String id = ErrorIds.next();
            LOG.error("{} {} failed, error id {}", ctx.method(), ctx.path(), id, e);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", "internal error");
            body.put("error_id", id);
            json(ctx.status(500), body);
        });
    }

    /** Bearer token on /v1 (header, or {@code access_token} query parameter for EventSource and img tags). */
    private void authorize(Context ctx) {
        if (tokenBytes == null || !ctx.path().startsWith("/v1/") && !ctx.path().equals("/v1")) return;
        String header = ctx.header("Authorization");
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : ctx.queryParam("access_token");
        if (given == null || !MessageDigest.isEqual(tokenBytes, given.getBytes(StandardCharsets.UTF_8))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "Authorization", given == null
                    ? "this server requires an API token: send 'Authorization: Bearer <token>'"
                    : "wrong API token");
        }
    }

    static void error(Context ctx, int status, String field, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("field", field);
        json(ctx.status(status), body);
    }

    static void json(Context ctx, Object body) {
        ctx.contentType("application/json; charset=utf-8").result(Json.write(body));
    }

    /** The page, its script and style, and openapi.json, read once from the classpath. */
    static final class WebAssets {
        final byte[] index = load("index.html"), script = load("app.js"), formMemory = load("form-memory.js"), history = load("history.js"),
                style = load("style.css"),
                openapi = load("openapi.json");

        private static byte[] load(String name) {
            try (InputStream in = UsoServer.class.getResourceAsStream("/org/uso4j/app/web/" + name)) {
                if (in == null) throw new IllegalStateException("missing resource /org/uso4j/app/web/" + name);
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Stops HTTP first (no new jobs), then the worker (the running job is left for restart reporting), then the store. */
    @Override public void close() {
        for (Job j : runner.activeJobs()) j.serverStopping();
        try {
            routes.awaitStreamsClosed(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            app.stop();
        } finally {
            try {
                runner.close();
            } finally {
                store.close();
            }
        }
    }
}
