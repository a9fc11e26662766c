package org.uso4j.pipeline.verify;

import org.junit.jupiter.api.Test;
import org.uso4j.core.device.HostlessBackend;

/** Every mode of the official end-to-end pipeline on the tiny model set, through UsoPipeline. */
class PipelineGoldenTest {
    @Test void pipelineTinyEveryMode() { GoldenDir.assertPasses("pipeline_tiny"); }

    /** The same cases on a device backend: the intermediates the case compares are downloaded through toHost. */
    @Test void pipelineTinyEveryModeOnADeviceBackend() {
        try (HostlessBackend be = new HostlessBackend()) {
            GoldenDir.assertPasses("pipeline_tiny", be);
        }
    }
}
