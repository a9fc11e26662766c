package org.uso4j.app.server;

import org.uso4j.pipeline.generate.GenerationRequest;
import org.uso4j.pipeline.generate.GenerationResult;
import org.uso4j.pipeline.generate.Progress;

/** What the server runs for a job: {@code UsoPipeline::generate} (tests may pass a stand-in). Called from one thread. */
@FunctionalInterface
public interface Generation {
    GenerationResult generate(GenerationRequest request, Progress progress);
}
