package org.uso4j.pipeline.verify;

import java.util.Set;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.siglip.SiglipVisionModel;
import org.uso4j.model.siglip.SiglipVisionOutput;

/**
 * Runs the SigLIP vision tower cases ({@code siglip_tiny*}, architecture {@code SiglipVisionModel}): loads the case
 * folder (config.json + model.safetensors) like a real checkpoint and checks last_hidden_state, pooler_output,
 * the stacked hidden_states and every {@code hidden_states_minus_K} against the float64 references.
 */
public final class SiglipCaseRunner implements CaseRunner {
    private static final String PIXEL_VALUES = "pixel_values";
    private static final String MINUS = "hidden_states_minus_";

    @Override public boolean handles(GoldenCase c) {
        return "SiglipVisionModel".equals(c.json().path("architecture").asText()) || c.name().startsWith("siglip_tiny");
    }

    @Override public void run(GoldenCase c, Backend backend, VerifyReport report) {
        EncoderCase ec = new EncoderCase(c);
        if (!ec.onlyArguments(report, Set.of(PIXEL_VALUES))) return;
        Set<String> inputs = Set.of(PIXEL_VALUES);
        try (SiglipVisionModel model = SiglipVisionModel.load(c.dir(), backend)) {
            for (String group : ec.groups(PIXEL_VALUES)) {
                SiglipVisionOutput out = model.forward(ec.input(group, PIXEL_VALUES));
                for (String variant : ec.variants(group, inputs)) {
                    if (!variant.isEmpty()) {
                        report.cannotRun(group + variant, "unknown variant '" + variant + "' of the SigLIP case");
                        continue;
                    }
                    for (String x : ec.outputs(group, variant, inputs)) ec.check(report, group, variant, x, output(backend, out, x));
                }
            }
        }
    }

    /** The output named {@code x} in the golden files, or null. */
    private static Tensor output(Backend backend, SiglipVisionOutput out, String x) {
        if (x.startsWith(MINUS)) {
            int k = Integer.parseInt(x.substring(MINUS.length()));
            return k >= 1 && k <= out.hiddenStates().size() ? out.hiddenState(-k) : null;
        }
        return switch (x) {
            case "last_hidden_state" -> out.lastHiddenState();
            case "pooler_output" -> out.poolerOutput();
            case "hidden_states" -> EncoderCase.stack(backend, out.hiddenStates());
            default -> null;
        };
    }
}
