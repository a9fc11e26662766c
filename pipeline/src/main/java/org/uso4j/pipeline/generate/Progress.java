package org.uso4j.pipeline.generate;

import org.uso4j.core.backend.DeviceBackend;

/**
 * Callbacks of one generation. All methods have empty defaults; {@link #cancelled()} is polled between stages and
 * after every denoising step: returning true stops the run with a {@link GenerationCancelledException}.
 */
public interface Progress {
    /** A stage starts: "text encoders", "style encoder", "content encoder", "denoising", "decoding". */
    default void stage(String name) { }

    /**
     * After denoising step {@code step} (1-based) of {@code total}; {@code stepSeconds} is the last step's time,
     * {@code etaSeconds} the remaining estimate. {@code preview} is a cheap RGB preview of the current latent
     * (latent/8 resolution) or null when previews are off.
     */
    default void step(int step, int total, double stepSeconds, double etaSeconds, Preview preview) { }

    /**
     * On a {@link DeviceBackend}, before {@link #step}: what crossed between host and device during denoising step
     * {@code step} ({@code inStep}: everything but the preview; {@code preview}: the preview's download).
     */
    default void deviceStep(int step, DeviceBackend.Counters inStep, DeviceBackend.Counters preview) { }

    /**
     * A model component was loaded: {@code summary} is one line per file (tensors, size, dtypes, source), {@code seconds}
     * the time the load took.
     */
    default void loaded(String summary, double seconds) { }

    default boolean cancelled() { return false; }

    /** A small RGB image (row-major, 3 bytes per pixel). */
    record Preview(int width, int height, byte[] rgb) { }

    Progress NONE = new Progress() { };
}
