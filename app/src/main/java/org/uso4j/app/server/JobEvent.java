package org.uso4j.app.server;

import java.util.Map;

/**
 * One Server-Sent Event of a job: {@code queued} {position}, {@code running}, {@code stage} {name},
 * {@code step} {step, total, step_seconds, eta_seconds, preview}, and one terminal event: {@code done},
 * {@code failed} {error} or {@code cancelled}.
 */
public record JobEvent(String name, Map<String, Object> data) {
    public JobEvent {
        data = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
    }

    public boolean terminal() { return name.equals("done") || name.equals("failed") || name.equals("cancelled"); }
}
