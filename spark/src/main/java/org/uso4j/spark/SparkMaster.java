package org.uso4j.spark;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a job runs, from {@code --master}: {@code local[N]} / {@code local[*]} (one JVM, N task threads), {@code spark://host:port}
 * (an existing standalone cluster), {@code standalone:N} (a real standalone cluster of one master and N worker JVMs
 * started on loopback from the Spark jars for this job and stopped afterwards), or any other Spark master URL
 * ({@code yarn}, {@code k8s://...}) passed to Spark as is.
 *
 * @param url     the master URL Spark is given (for standalone:N: known once the cluster runs, null here)
 * @param workers N of standalone:N, else 0
 */
public record SparkMaster(String url, int workers) {
    private static final Pattern STANDALONE = Pattern.compile("standalone:(\\d+)");
    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\d+|\\*)(,\\d+)?])?");

    public SparkMaster {
        if (workers < 0) throw new IllegalArgumentException("--master standalone:N: N must be >= 1, got " + workers);
    }

    /** Parses a {@code --master} value; the error names the forms accepted. */
    public static SparkMaster parse(String s) {
        if (s == null || s.isBlank()) throw new IllegalArgumentException("--master: expected local[N], spark://host:port or standalone:N, got nothing");
        Matcher m = STANDALONE.matcher(s);
        if (m.matches()) {
            int n = Integer.parseInt(m.group(1));
            if (n < 1 || n > 64) throw new IllegalArgumentException("--master standalone:N: N must be 1..64, got " + n);
            return new SparkMaster(null, n);
        }
        if (s.startsWith("standalone")) throw new IllegalArgumentException("--master " + s + ": expected standalone:N (N worker JVMs)");
        if (s.startsWith("local") && !LOCAL.matcher(s).matches()) {
            throw new IllegalArgumentException("--master " + s + ": expected local, local[N] or local[*]");
        }
        if (s.startsWith("spark://") && !s.matches("spark://[^/:]+:\\d+(,[^/:]+:\\d+)*")) {
            throw new IllegalArgumentException("--master " + s + ": expected spark://host:port");
        }
        return new SparkMaster(s, 0);
    }

    public boolean standalone() { return workers > 0; }

    public boolean local() { return url != null && url.startsWith("local"); }

    /** Task threads of a local master ({@code local} = 1, {@code local[*]} = all processors); 0 for a cluster. */
    public int localThreads() {
        if (!local()) return 0;
        Matcher m = LOCAL.matcher(url);
        if (!m.matches() || m.group(2) == null) return 1;
        return m.group(2).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(m.group(2));
    }
}
