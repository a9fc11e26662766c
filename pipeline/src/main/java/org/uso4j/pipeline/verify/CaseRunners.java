package org.uso4j.pipeline.verify;

import java.util.List;

/** Every golden-case runner uso4j has, in lookup order. */
public final class CaseRunners {
    private CaseRunners() {}

    public static List<CaseRunner> all() {
        return List.of(
                new FluxCaseRunner(),
                new ProjectorCaseRunner(),
                new SamplingCaseRunner(),
                new FormatsCaseRunner(),
                new PipelineCaseRunner(),
                new AutoEncoderRunner(),
                new SiglipCaseRunner(),
                new T5CaseRunner(),
                new ClipTextCaseRunner(),
                new TokenizerCaseRunner(),
                new RngCaseRunner(),
                new PreprocessCaseRunner(),
                new SiglipPreprocessCaseRunner(),
                new OpenAiClipCaseRunner(),
                new DinoCaseRunner(),
                new CsdCaseRunner(),
                new MetricProtocolCaseRunner()
        );
    }
}
