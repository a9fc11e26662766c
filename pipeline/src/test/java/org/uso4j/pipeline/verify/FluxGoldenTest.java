package org.uso4j.pipeline.verify;

import org.junit.jupiter.api.Test;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.core.device.HostlessBackend;

/** The DiT cases of issue 2 through the same code path as {@code uso4j verify}. */
class FluxGoldenTest {
    @Test void fluxTiny() { GoldenDir.assertPasses("flux_tiny"); }

    @Test void fluxTinyOnTheScalarBackend() { GoldenDir.assertPasses("flux_tiny", new ScalarBackend()); }

    /** Weights adopted, every activation a device tensor, outputs compared after toHost. */
    @Test void fluxTinyAndSamplingOnADeviceBackend() {
        try (HostlessBackend be = new HostlessBackend()) {
            GoldenDir.assertPasses("flux_tiny", be);
            GoldenDir.assertPasses("sampling", be);
        }
    }

    @Test void fluxMediumBf16() { GoldenDir.assertPasses("flux_medium"); }

    @Test void projector() { GoldenDir.assertPasses("projector"); }

    @Test void sampling() { GoldenDir.assertPasses("sampling"); }

    @Test void formats() { GoldenDir.assertPasses("formats"); }
}
