package org.uso4j.spark;

import java.io.Serializable;

/**
 * What became of one output in its task: written, skipped (its PNG and sidecar existed) or failed (bad image path,
 * bad prompt, ...: the reason names it; the other items go on).
 */
public record OutputOutcome(int item, int image, String name, Status status, String reason, double seconds) implements Serializable {
    public enum Status { WRITTEN, SKIPPED, FAILED }
}
