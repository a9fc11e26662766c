package org.uso4j.spark;

import java.io.PrintStream;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * The driver's progress lines while a job runs: units done / total (images for generation, items for evaluation),
 * units per minute and the estimated time left, updated as each task ends; a lost task attempt is reported with its
 * reason (Spark retries it).
 */
final class JobProgress extends SparkListener {
    private final int[] unitsPerTask;
    private final int total;
    private final String unit;
    private final PrintStream log;
    private final long start = System.nanoTime();
    private final boolean[] done;
    private int finished;

    JobProgress(int[] unitsPerTask, String unit, PrintStream log) {
        this.unitsPerTask = unitsPerTask.clone();
        this.done = new boolean[unitsPerTask.length];
        int t = 0;
        for (int u : unitsPerTask) t += u;
        this.total = t;
        this.unit = unit;
        this.log = log;
    }

    /** Runs one Spark task per group of {@code tasks} with {@code task}, printing progress in {@code unit} (one per element). */
    static <T, R> List<R> run(JavaSparkContext sc, List<List<T>> tasks, String unit, PrintStream log, FlatMapFunction<Iterator<List<T>>, R> task) {
        JobProgress progress = new JobProgress(tasks.stream().mapToInt(List::size).toArray(), unit, log);
        sc.sc().addSparkListener(progress);
        try {
            return sc.parallelize(tasks, tasks.size()).mapPartitions(task).collect();
        } finally {
            sc.sc().removeSparkListener(progress);
        }
    }

    @Override public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
        int task = end.taskInfo().index();
        if (task < 0 || task >= unitsPerTask.length) return;
        if (!end.taskInfo().successful()) {
            log.println("uso4j spark: task " + task + " (" + unitsPerTask[task] + " " + unit + ") failed on executor " + end.taskInfo().executorId()
                    + ": " + end.reason() + " (Spark retries it)");
            return;
        }
        if (done[task]) return;
        done[task] = true;
        finished += unitsPerTask[task];
        double minutes = (System.nanoTime() - start) / 6e10, rate = finished / Math.max(minutes, 1e-9);
        double eta = (total - finished) / rate;
        log.printf(Locale.ROOT, "uso4j spark: [%d/%d] %s done, %.1f %s/min, ETA %s%n", finished, total, unit, rate, unit, clock(eta * 60));
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
