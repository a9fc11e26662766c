package org.uso4j.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code --master standalone:N}: a real Spark standalone cluster on loopback, one master and N worker JVMs started
 * from the Spark jars this JVM runs on (no Spark distribution needed), for trying the cluster path and for tests;
 * {@link #close} stops it. Without a distribution a worker needs {@code SPARK_HOME} with a {@code jars/} folder (it
 * builds its executors' class path from there: here the executors get this JVM's class path through
 * {@code spark.executor.extraClassPath}), {@code SPARK_SCALA_VERSION} and {@code SPARK_LOCAL_IP=127.0.0.1}; the
 * master's REST port is switched off.
 */
public final class StandaloneCluster implements AutoCloseable {
    /** Memory of each worker's executors, and of each daemon's own heap. */
    static final String WORKER_MEMORY = "1536m", DAEMON_HEAP = "-Xmx384m";
    private static final long START_TIMEOUT_S = 180;
    private static final String DAEMON_LOG_CONFIG = """
            rootLogger.level = info
            rootLogger.appenderRef.stderr.ref = stderr
            appender.console.type = Console
            appender.console.name = stderr
            appender.console.target = SYSTEM_ERR
            appender.console.layout.type = PatternLayout
            appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
            """;

    private final Path home;
    private final String url;
    private final Process master;
    private final List<Process> workers;

    private StandaloneCluster(Path home, String url, Process master, List<Process> workers) {
        this.home = home;
        this.url = url;
        this.master = master;
        this.workers = workers;
    }

    /** Starts a master and {@code n} one-core workers and waits until every worker has registered. */
    public static StandaloneCluster start(int n, PrintStream log) {
        Path home = null;
        List<Process> started = new ArrayList<>();
        try {
            home = Files.createTempDirectory("uso4j-spark-");
            Files.createDirectories(home.resolve("jars"));
            // the daemons log at INFO (their readiness lines), whatever log4j2.properties the class path holds
            Files.writeString(Files.createDirectories(home.resolve("conf")).resolve("log4j2.properties"), DAEMON_LOG_CONFIG);
            int port = freePort();
            String url = "spark://127.0.0.1:" + port;
            Process master = launch(home, "master", List.of("-Dspark.master.rest.enabled=false", "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(freePort())));
            started.add(master);
            awaitLog(home.resolve("master.log"), master, "I have been elected leader");
            List<Process> workers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Path work = Files.createDirectories(home.resolve("work-" + i));
                Process w = launch(home, "worker-" + i, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                        "--cores", "1", "--memory", WORKER_MEMORY, "--work-dir", work.toString(), "--webui-port", String.valueOf(freePort()), url));
                started.add(w);
                workers.add(w);
            }
            for (int i = 0; i < n; i++) awaitLog(home.resolve("worker-" + i + ".log"), workers.get(i), "Successfully registered with master");
            log.println("uso4j spark: standalone cluster " + url + " (master pid " + master.pid() + ", worker pids "
                    + workers.stream().map(p -> String.valueOf(p.pid())).toList() + ", logs in " + home + ")");
            return new StandaloneCluster(home, url, master, List.copyOf(workers));
        } catch (IOException | RuntimeException e) {
            started.reversed().forEach(StandaloneCluster::stop);
            if (e instanceof IOException io) throw new UncheckedIOException("cannot start the standalone cluster: " + io.getMessage(), io);
            throw (RuntimeException) e;
        }
    }

    public String url() { return url; }

    /** The worker JVMs (their pids: {@code workers().get(i).pid()}). */
    public List<Process> workers() { return workers; }

    /** Folder holding SPARK_HOME, the daemons' logs and the workers' work folders. */
    public Path home() { return home; }

    /** The class path the workers give their executors: this JVM's. */
    static String executorClassPath() { return System.getProperty("java.class.path"); }

    @Override public void close() {
        workers.forEach(StandaloneCluster::stop);
        stop(master);
        try (Stream<Path> s = Files.walk(home)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder: best effort
        }
    }

    private static Process launch(Path home, String name, List<String> mainAndArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), DAEMON_HEAP,
                "-Dlog4j2.configurationFile=" + home.resolve("conf/log4j2.properties"), "-cp", executorClassPath()));
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(home.resolve(name + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return pb.start();
    }

    /** Waits for {@code line} in a daemon's log; fails with the log's tail when the daemon exits or takes too long. */
    private static void awaitLog(Path logFile, Process p, String line) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
        while (true) {
            String text = Files.isRegularFile(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
            if (text.contains(line)) return;
            if (!p.isAlive() || System.nanoTime() > deadline) {
                List<String> lines = text.lines().toList();
                throw new IllegalStateException((p.isAlive() ? "timed out after " + START_TIMEOUT_S + " s" : "exited with " + p.exitValue())
                        + " before '" + line + "' (" + logFile + "):\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the standalone cluster", e);
            }
        }
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
