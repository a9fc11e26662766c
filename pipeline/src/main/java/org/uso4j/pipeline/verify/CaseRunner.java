package org.uso4j.pipeline.verify;

import org.uso4j.core.backend.Backend;

/** Runs one kind of golden case (e.g. every {@code flux_*} case) through uso4j's own code path. */
public interface CaseRunner {
    /** Whether this runner understands {@code c} (by its {@code case} name and content). */
    boolean handles(GoldenCase c);

    /** Runs every subcase it can, reporting each output; anything it cannot run is reported as a failure. */
    void run(GoldenCase c, Backend backend, VerifyReport report) throws Exception;
}
