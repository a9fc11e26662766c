package org.uso4j.pipeline.eval;

import java.util.List;
import java.util.Locale;

/**
 * The three USO-Bench tasks and the metrics reported for each, in the column order of the report tables
 * (Table 1: subject CLIP-I / DINO / CLIP-T and style CSD / CLIP-T; Table 2: style-subject CSD / CLIP-I / DINO /
 * CLIP-T). Image metrics compare with the content references (CLIP-I, DINO) or the style references (CSD).
 */
public enum TaskType {
    SUBJECT("subject", List.of(Metric.CLIP_I, Metric.DINO, Metric.CLIP_T)),
    STYLE("style", List.of(Metric.CSD, Metric.CLIP_T)),
    STYLE_SUBJECT("style-subject", List.of(Metric.CSD, Metric.CLIP_I, Metric.DINO, Metric.CLIP_T));

    private final String id;
    private final List<Metric> metrics;

    TaskType(String id, List<Metric> metrics) {
        this.id = id;
        this.metrics = metrics;
    }

    /** The spelling in benchmark specs and reports. */
    public String id() { return id; }

    public List<Metric> metrics() { return metrics; }

    /** Parses {@code subject}, {@code style}, {@code style-subject} (also with '_' and any case). */
    public static TaskType parse(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (TaskType t : values()) if (t.id.equals(k)) return t;
        throw new IllegalArgumentException("unknown task '" + s + "' (expected subject, style or style-subject)");
    }

    /** The task an item implies by its references: content only → subject, style only → style, both → style-subject. */
    public static TaskType infer(boolean hasContent, boolean hasStyle) {
        if (hasContent && hasStyle) return STYLE_SUBJECT;
        if (hasStyle) return STYLE;
        if (hasContent) return SUBJECT;
        throw new IllegalArgumentException("an item without content or style references has no task");
    }
}
