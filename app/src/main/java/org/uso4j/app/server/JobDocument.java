package org.uso4j.app.server;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON answer describing one job (GET /v1/jobs/{id} and each entry of GET /v1/jobs). */
final class JobDocument {
    private JobDocument() {}

    static Map<String, Object> of(JobRecord r, Job live) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("status", r.status().wire());
        m.put("created_at", time(r.createdMs()));
        m.put("started_at", time(r.startedMs()));
        m.put("finished_at", time(r.finishedMs()));
        m.put("settings", Json.readObject(r.settingsJson()));
        m.put("error", r.error());
        m.put("seconds", r.seconds());
        if (live != null && !r.status().finished()) m.put("progress", live.progress());
        m.put("events_url", "/v1/jobs/" + r.id() + "/events");
        m.put("image_url", r.status() == JobStatus.SUCCEEDED ? "/v1/jobs/" + r.id() + "/image" : null);
        return m;
    }

    private static String time(Long ms) { return ms == null || ms == 0 ? null : Instant.ofEpochMilli(ms).toString(); }
}
