package org.uso4j.pipeline.files;

import java.util.Locale;

/**
 * The one-line progress of a transfer: {@code name  1.23 GB / 23.80 GB  5.2%  112.3 MB/s  ETA 3m21s}.
 * The rate is the average since this transfer started (resumed bytes do not count), so the ETA is steady.
 */
public final class ProgressLine {
    private final String name;
    private final long total;
    private final long startBytes;
    private final long startNanos;

    /**
     * @param name       what is shown first (a file name)
     * @param total      bytes of the whole file, -1 when unknown
     * @param startBytes bytes already there when the transfer started (a resumed {@code .part})
     * @param startNanos {@link System#nanoTime()} at the start
     */
    public ProgressLine(String name, long total, long startBytes, long startNanos) {
        this.name = name;
        this.total = total;
        this.startBytes = startBytes;
        this.startNanos = startNanos;
    }

    /** The line for {@code done} bytes at {@code nowNanos}. */
    public String render(long done, long nowNanos) {
        double seconds = Math.max(0, nowNanos - startNanos) / 1e9;
        double rate = seconds > 0 ? Math.max(0, done - startBytes) / seconds : 0;
        StringBuilder sb = new StringBuilder(name).append("  ").append(bytes(done));
        if (total >= 0) {
            sb.append(" / ").append(bytes(total));
            sb.append(String.format(Locale.ROOT, "  %5.1f%%", total == 0 ? 100.0 : 100.0 * done / total));
        }
        sb.append("  ").append(bytes((long) rate)).append("/s");
        if (total >= 0 && rate > 0 && done < total) sb.append("  ETA ").append(duration((long) Math.ceil((total - done) / rate)));
        return sb.toString();
    }

    /** Decimal units like the hub's listings: {@code 17 B}, {@code 1.5 kB}, {@code 335.3 MB}, {@code 23.80 GB}. */
    public static String bytes(long n) {
        if (n < 1000) return n + " B";
        if (n < 1_000_000) return String.format(Locale.ROOT, "%.1f kB", n / 1e3);
        if (n < 1_000_000_000) return String.format(Locale.ROOT, "%.1f MB", n / 1e6);
        return String.format(Locale.ROOT, "%.2f GB", n / 1e9);
    }

    /** {@code 45s}, {@code 3m21s}, {@code 2h05m}. */
    public static String duration(long seconds) {
        if (seconds < 60) return seconds + "s";
        if (seconds < 3600) return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
