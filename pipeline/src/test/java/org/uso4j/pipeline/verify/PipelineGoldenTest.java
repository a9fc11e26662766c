package org.uso4j.pipeline.verify;

import org.junit.jupiter.api.Test;

/** Every mode of the official end-to-end pipeline on the tiny model set, through UsoPipeline. */
class PipelineGoldenTest {
    @Test void pipelineTinyEveryMode() { GoldenDir.assertPasses("pipeline_tiny"); }
}
