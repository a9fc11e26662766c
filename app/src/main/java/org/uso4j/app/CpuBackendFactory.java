package org.uso4j.app;

import org.uso4j.core.backend.Backend;
import org.uso4j.core.backend.MatmulPrecision;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.spark.BackendFactory;

/**
 * The app's backend choice (the options of generate / eval) as Spark executors rebuild it: the CPU backend with the
 * given precision on {@code threads} threads (null: the executor's cores), or the scalar reference backend.
 */
record CpuBackendFactory(MatmulPrecision precision, boolean explicit, Integer threads, boolean scalar) implements BackendFactory {
    @Override public Backend create(int cores) {
        if (scalar) return new ScalarBackend();
        return new PrecisionOption(precision, explicit).backend(threads != null ? threads : cores);
    }
}
