package org.uso4j.pipeline.verify;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.uso4j.core.backend.ScalarBackend;

/** The USO-Bench metric cases (golden metrics/README.md) through Verifier, as {@code uso4j verify} runs them. */
class MetricsGoldenTest {
    @ParameterizedTest
    @ValueSource(strings = {"metrics/clip_tiny", "metrics/dino_tiny", "metrics/csd_tiny", "metrics/metric_protocol"})
    void passesOnTheCpuBackend(String name) { GoldenDir.assertPasses(name); }

    @ParameterizedTest
    @ValueSource(strings = {"metrics/dino_tiny", "metrics/csd_tiny"})
    void passesOnTheScalarBackend(String name) { GoldenDir.assertPasses(name, new ScalarBackend()); }
}
