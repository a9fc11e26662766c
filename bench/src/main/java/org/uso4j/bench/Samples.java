package org.uso4j.bench;

import java.util.Arrays;

/**
 * Wall-clock seconds of repeated runs of one piece of work, after warm-up runs that are not kept. The median is
 * the number to report: the machines these run on are shared, and single runs differ by ±30%.
 */
public record Samples(double[] seconds) {
    public Samples {
        if (seconds.length == 0) throw new IllegalArgumentException("no samples");
        seconds = seconds.clone();
    }

    @Override public double[] seconds() { return seconds.clone(); }

    public double median() {
        double[] s = seconds.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    public double min() { return Arrays.stream(seconds).min().orElseThrow(); }

    public double max() { return Arrays.stream(seconds).max().orElseThrow(); }

    /** Runs {@code work} {@code warmup} times untimed, then {@code reps} times timed. */
    public static Samples time(int warmup, int reps, Runnable work) {
        if (reps < 1) throw new IllegalArgumentException("need at least one repetition, got " + reps);
        for (int i = 0; i < warmup; i++) work.run();
        double[] s = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            work.run();
            s[i] = (System.nanoTime() - t0) / 1e9;
        }
        return new Samples(s);
    }
}
