package org.uso4j.spark;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;

/**
 * What an executor JVM keeps between tasks: one loaded resource per kind (the generation pipeline, the metric
 * models), opened lazily by the first task that needs it and kept for the tasks that follow while their key (model
 * files, options, backend) is the same; a task with another key closes it and opens its own. Tasks using a
 * resource take turns (in {@code local[N]} several task threads share the JVM): the backend already uses every
 * core the executor has.
 */
final class ExecutorCache {
    private record Entry(String key, AutoCloseable value) {}

    private static final Map<String, Entry> ENTRIES = new HashMap<>();
    private static final Map<String, Object> LOCKS = new HashMap<>();

    private ExecutorCache() {}

    /** Runs {@code use} on the resource of {@code kind} for {@code key}, opening it with {@code open} when needed. */
    @SuppressWarnings("unchecked")
    static <T extends AutoCloseable, R> R use(String kind, String key, Supplier<T> open, Function<T, R> use) {
        Object lock;
        synchronized (LOCKS) {
            lock = LOCKS.computeIfAbsent(kind, k -> new Object());
        }
        synchronized (lock) {
            Entry e;
            synchronized (LOCKS) {
                e = ENTRIES.get(kind);
            }
            if (e == null || !e.key().equals(key)) {
                if (e != null) close(e);
                e = new Entry(key, open.get());
                synchronized (LOCKS) {
                    ENTRIES.put(kind, e);
                }
            }
            return use.apply((T) e.value());
        }
    }

    private static void close(Entry e) {
        try {
            e.value().close();
        } catch (Exception ex) {
            System.err.println("uso4j: closing the previous " + e.key() + " failed: " + ex.getMessage());
        }
    }

    /** The executor's cores: {@code spark.executor.cores}, N of {@code local[N]}, else every processor of the node. */
    static int executorCores() {
        SparkEnv env = SparkEnv.get();
        SparkConf conf = env == null ? null : env.conf();
        if (conf != null && conf.contains("spark.executor.cores")) return Math.max(1, conf.getInt("spark.executor.cores", 1));
        if (conf != null && conf.contains("spark.master")) {
            SparkMaster m = SparkMaster.parse(conf.get("spark.master"));
            if (m.local()) return Math.min(m.localThreads(), Runtime.getRuntime().availableProcessors());
        }
        return Runtime.getRuntime().availableProcessors();
    }
}
