package org.uso4j.spark;

import java.io.Serializable;
import org.uso4j.core.backend.Backend;

/**
 * Builds the compute backend inside each executor JVM (the app's one backend choice, shipped to the executors):
 * {@code cores} is the executor's core count (Spark's {@code spark.executor.cores}, or N of {@code local[N]}).
 */
@FunctionalInterface
public interface BackendFactory extends Serializable {
    Backend create(int cores);

    /**
     * What the backend is, for the key under which executors keep their loaded models: factories with equal keys build
     * equal backends (a record's {@code toString} does; a lambda's does not match across tasks, so use a record).
     */
    default String key() { return toString(); }
}
