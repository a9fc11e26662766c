package org.uso4j.app;

import java.io.PrintStream;
import org.uso4j.pipeline.generate.Progress;

/** A one-line terminal progress bar: stage, step k/n, per-step time and ETA. */
final class ProgressBar implements Progress {
    private final PrintStream out;
    private String prefix = "";
    private volatile boolean cancelled;

    ProgressBar(PrintStream out) { this.out = out; }

    void prefix(String p) { prefix = p; }

    void cancel() { cancelled = true; }

    @Override public void stage(String name) { out.printf("\r%s%-60s", prefix, name + " ..."); out.flush(); }

    @Override public void step(int step, int total, double stepSeconds, double etaSeconds, Preview preview) {
        int width = 30, done = (int) Math.round(width * (double) step / total);
        out.printf("\r%s[%s%s] %d/%d  %.2f s/step  ETA %s   ", prefix, "#".repeat(done), ".".repeat(width - done), step, total,
                stepSeconds, eta(etaSeconds));
        if (step == total) out.println();
        out.flush();
    }

    @Override public boolean cancelled() { return cancelled; }

    static String eta(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format("%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60) : String.format("%d:%02d", t / 60, t % 60);
    }
}
