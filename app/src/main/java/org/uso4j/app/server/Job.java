package org.uso4j.app.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.uso4j.pipeline.generate.GenerationRequest;

/**
 * A job while it is queued or running: its request, its persisted fields, its live progress, and the SSE clients
 * following it. Changes and event publication happen under the job's lock, so a client subscribing sees the
 * current state and then every later event, none twice.
 */
final class Job {
    final String id;
    final GenerationRequest request;
    private JobRecord record;
    private volatile boolean cancelRequested;
    private String stage;
    private Map<String, Object> lastStep;
    private int position;
    private boolean stopping;
    private final List<EventStream> streams = new CopyOnWriteArrayList<>();

    Job(String id, GenerationRequest request, JobRecord record) {
        this.id = id;
        this.request = request;
        this.record = record;
    }

    synchronized JobRecord record() { return record; }

    boolean cancelRequested() { return cancelRequested; }

    void requestCancel() { cancelRequested = true; }

    synchronized void queuedAt(int newPosition) {
        if (record.status() != JobStatus.QUEUED || newPosition == position) return;
        position = newPosition;
        publish(new JobEvent("queued", Map.of("position", position)));
    }

    synchronized void running(long nowMs) {
        record = new JobRecord(id, JobStatus.RUNNING, record.createdMs(), nowMs, null, record.settingsJson(), null, null, null);
        position = 0;
        publish(new JobEvent("running", Map.of()));
    }

    synchronized void stage(String name) {
        stage = name;
        publish(new JobEvent("stage", Map.of("name", name)));
    }

    synchronized void step(int step, int total, double stepSeconds, double etaSeconds, String previewDataUrl) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("step", step);
        d.put("total", total);
        d.put("step_seconds", round(stepSeconds));
        d.put("eta_seconds", round(etaSeconds));
        if (previewDataUrl != null) d.put("preview", previewDataUrl);
        lastStep = d;
        publish(new JobEvent("step", d));
    }

    /** Moves to a finished state and sends the terminal event; returns the final record. */
    synchronized JobRecord finish(JobRecord done, JobEvent terminal) {
        record = done;
        publish(terminal);
        return done;
    }

    /** Progress for status answers: position while queued, stage/step/eta while running. */
    synchronized Map<String, Object> progress() {
        Map<String, Object> p = new LinkedHashMap<>();
        if (record.status() == JobStatus.QUEUED) p.put("position", position);
        if (stage != null) p.put("stage", stage);
        if (lastStep != null) {
            p.put("step", lastStep.get("step"));
            p.put("total", lastStep.get("total"));
            p.put("eta_seconds", lastStep.get("eta_seconds"));
        }
        return p;
    }

    /** Registers a client: it first gets the current state (queued position, or running + stage + latest step). */
    synchronized EventStream subscribe() {
        EventStream s = new EventStream();
        switch (record.status()) {
            case QUEUED -> s.offer(new JobEvent("queued", Map.of("position", position)));
            case RUNNING -> {
                s.offer(new JobEvent("running", Map.of()));
                if (stage != null) s.offer(new JobEvent("stage", Map.of("name", stage)));
                if (lastStep != null) s.offer(new JobEvent("step", lastStep));
            }
            default -> s.offer(JobRunner.terminalEvent(record));
        }
        streams.add(s);
        return s;
    }

    void unsubscribe(EventStream s) { streams.remove(s); }

    /**
     * Server stopping: clients get a {@code failed} event (after a restart the job reads "interrupted by restart")
     * and their streams end; the record is left as it is for the restart to reconcile.
     */
    synchronized void serverStopping() {
        if (stopping) return;
        stopping = true;
        if (!record.status().finished()) {
            publish(new JobEvent("failed", Map.of("id", id, "error", "the server is stopping; the job will not finish")));
        }
        streams.forEach(s -> s.offer(EventStream.END));
    }

    private void publish(JobEvent e) { streams.forEach(s -> s.offer(e)); }

    private static double round(double v) { return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : 0; }
}
