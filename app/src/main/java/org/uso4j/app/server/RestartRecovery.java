package org.uso4j.app.server;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uso4j.pipeline.image.PngFile;

/**
 * Makes the store consistent after a stop or a crash, before the server accepts jobs: a result PNG whose job is
 * not recorded as succeeded (killed between writing the image and the database) is recorded from the job JSON
 * in the PNG; jobs still queued or running belonged to the previous process and are marked failed
 * ("interrupted by restart").
 */
final class RestartRecovery {
    static final String INTERRUPTED = "interrupted by restart";
    private static final Logger LOG = LoggerFactory.getLogger(RestartRecovery.class);
    private static final Pattern RESULT = Pattern.compile("[0-9a-f-]{36}\\.png");

    private RestartRecovery() {}

    static void run(JobStore store) {
        int recovered = 0, interrupted = 0;
        try (DirectoryStream<Path> pngs = Files.newDirectoryStream(store.imagesDir())) {
            for (Path p : pngs) {
                if (!RESULT.matcher(p.getFileName().toString()).matches()) continue;
                String id = p.getFileName().toString().replace(".png", "");
                if (store.get(id).map(r -> r.status() == JobStatus.SUCCEEDED).orElse(false)) continue;
                JobRecord r = fromPng(p, id);
                if (r != null) {
                    store.put(r);
                    recovered++;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(store.imagesDir() + ": cannot list results: " + e.getMessage(), e);
        }
        long now = System.currentTimeMillis();
        for (JobStatus s : new JobStatus[]{JobStatus.QUEUED, JobStatus.RUNNING}) {
            for (JobRecord r : store.withStatus(s)) {
                store.put(new JobRecord(r.id(), JobStatus.FAILED, r.createdMs(), r.startedMs(), now, r.settingsJson(), INTERRUPTED, null, null));
                interrupted++;
            }
        }
        if (recovered + interrupted > 0) {
            LOG.info("restart: {} result(s) recovered from their PNG, {} unfinished job(s) marked failed ({})", recovered, interrupted, INTERRUPTED);
        }
    }

    /** The record a result PNG carries (written by {@link JobRunner}), or null when it carries none. */
    private static JobRecord fromPng(Path png, String id) {
        try {
            String json = PngFile.readText(png).get(JobRunner.PNG_JOB_KEY);
            if (json == null) return null;
            Map<String, Object> m = Json.readObject(json);
            return new JobRecord(id, JobStatus.SUCCEEDED, number(m.get("created_ms")), number(m.get("started_ms")),
                    number(m.get("finished_ms")), Json.write(m.getOrDefault("settings", Map.of())), null,
                    m.get("seconds") instanceof Number n ? n.doubleValue() : null, png.getFileName().toString());
        } catch (RuntimeException e) {
            LOG.warn("{}: not recovered ({})", png, e.getMessage());
            return null;
        }
    }

    private static Long number(Object o) { return o instanceof Number n ? n.longValue() : 0L; }

    /** The PNG text form of a finished record. */
    static Map<String, Object> toMap(JobRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("created_ms", r.createdMs());
        m.put("started_ms", r.startedMs());
        m.put("finished_ms", r.finishedMs());
        m.put("seconds", r.seconds());
        m.put("settings", Json.readObject(r.settingsJson()));
        return m;
    }
}
