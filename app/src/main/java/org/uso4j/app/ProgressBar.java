package org.uso4j.app;

import java.util.Locale;
import org.uso4j.core.backend.DeviceBackend;
import org.uso4j.pipeline.generate.Progress;

/**
 * The progress display of one run, drawn through the {@link Console}: the stage, one line per loaded component
 * (files, dtypes, size, load time) above the bar, and the per-step bar with time per step and ETA.
 */
final class ProgressBar implements Progress {
    private final Console console;
    private String prefix = "";
    private volatile boolean cancelled;

    ProgressBar(Console console) { this.console = console; }

    void prefix(String p) { prefix = p; }

    void cancel() { cancelled = true; }

    @Override public void stage(String name) { console.status(prefix + name + " ..."); }

    @Override public void loaded(String summary, double seconds) {
        for (String line : summary.split("\n")) {
            if (!line.isBlank()) console.info("  " + line + String.format(Locale.ROOT, " [%.1f s]", seconds));
        }
    }

    @Override public void step(int step, int total, double stepSeconds, double etaSeconds, Preview preview) {
        int width = 30, done = (int) Math.round(width * (double) step / total);
        console.status(String.format(Locale.ROOT, "%s[%s%s] %d/%d  %.2f s/step  ETA %s", prefix, "#".repeat(done), ".".repeat(width - done),
                step, total, stepSeconds, eta(etaSeconds)));
        if (step == total) console.endStatus();
    }

    /** The run's stages are over: the last stage's line goes, the next line starts fresh. */
    /** With --verbose on a GPU backend: what a denoising step moved between host and device (the preview apart). */
    @Override public void deviceStep(int step, DeviceBackend.Counters inStep, DeviceBackend.Counters preview) {
        console.debug(String.format(Locale.ROOT, "%sstep %d: host transfers %d, cpu fallbacks %d (preview: %d transfers)", prefix, step,
                inStep.transfers(), inStep.cpuFallbacks(), preview.transfers()));
    }

    void done() { console.dropStatus(); }

    @Override public boolean cancelled() { return cancelled; }

    static String eta(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format("%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60) : String.format("%d:%02d", t / 60, t % 60);
    }
}
