package org.uso4j.spark;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A Spark context for one uso4j job, on the master of {@code --master} (or, under {@code spark-submit}, the one
 * spark-submit set), with what executors need on JDK 25: the Vector API module and native access (appended to
 * {@code spark.executor.extraJavaOptions}). For {@code standalone:N} it starts the cluster first and stops it on
 * {@link #close}; for {@code spark://} it ships the jar holding uso4j unless {@code spark.jars} is set.
 */
public final class SparkRun implements AutoCloseable {
    /** JVM options every executor needs: uso4j's kernels use the incubating Vector API and the FFM API. */
    public static final String EXECUTOR_JAVA_OPTIONS = "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow";

    private final JavaSparkContext context;
    private final StandaloneCluster cluster;

    private SparkRun(JavaSparkContext context, StandaloneCluster cluster) {
        this.context = context;
        this.cluster = cluster;
    }

    /** Starts a context named {@code appName}; {@code master} null means: the master spark-submit configured. */
    public static SparkRun start(SparkMaster master, String appName, PrintStream log) {
        SparkConf conf = new SparkConf().setAppName(appName);
        if (master == null && !conf.contains("spark.master")) {
            throw new IllegalArgumentException("--master: give local[N], spark://host:port or standalone:N (or run under spark-submit --master)");
        }
        String opts = conf.get("spark.executor.extraJavaOptions", "");
        if (!opts.contains("jdk.incubator.vector")) conf.set("spark.executor.extraJavaOptions", (opts + " " + EXECUTOR_JAVA_OPTIONS).trim());
        StandaloneCluster cluster = null;
        if (master != null && master.standalone()) {
            cluster = StandaloneCluster.start(master.workers(), log);
            conf.setMaster(cluster.url()).set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.executor.cores", "1").set("spark.executor.memory", "1g")
                    .set("spark.executor.extraClassPath", StandaloneCluster.executorClassPath());
        } else if (master != null) {
            conf.setMaster(master.url());
            // local[N] needs no network: stay on loopback (a container's host name may not resolve)
            if (master.local() && !conf.contains("spark.driver.host")) conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
            if (master.url().startsWith("spark://") && !conf.contains("spark.jars")) ownJar().ifPresent(j -> conf.set("spark.jars", j));
        }
        try {
            JavaSparkContext sc = new JavaSparkContext(conf);
            sc.setLogLevel(conf.get("spark.uso4j.logLevel", "WARN"));
            return new SparkRun(sc, cluster);
        } catch (RuntimeException e) {
            if (cluster != null) cluster.close();
            throw e;
        }
    }

    public JavaSparkContext context() { return context; }

    /** The cluster of standalone:N, else null. */
    public StandaloneCluster cluster() { return cluster; }

    @Override public void close() {
        try {
            context.stop();
        } finally {
            if (cluster != null) cluster.close();
        }
    }

    /** The jar this class was loaded from (the uso4j jar), when it is one. */
    private static java.util.Optional<String> ownJar() {
        try {
            var src = SparkRun.class.getProtectionDomain().getCodeSource();
            if (src == null) return java.util.Optional.empty();
            Path p = Path.of(src.getLocation().toURI());
            return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? java.util.Optional.of(p.toString()) : java.util.Optional.empty();
        } catch (URISyntaxException | SecurityException e) {
            return java.util.Optional.empty();
        }
    }
}
