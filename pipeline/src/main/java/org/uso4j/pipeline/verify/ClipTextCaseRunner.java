package org.uso4j.pipeline.verify;

import java.util.Set;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.clip.ClipTextModel;
import org.uso4j.model.clip.ClipTextOutput;

/**
 * Runs the CLIP text encoder cases ({@code clip_text_tiny}, architecture {@code CLIPTextModel}): loads the case
 * folder like a real checkpoint, runs every group of input_ids and checks last_hidden_state, pooler_output,
 * hidden_states against the float64 references and the pooling positions exactly.
 */
public final class ClipTextCaseRunner implements CaseRunner {
    private static final String INPUT_IDS = "input_ids";

    @Override public boolean handles(GoldenCase c) {
        return "CLIPTextModel".equals(c.json().path("architecture").asText()) || c.name().startsWith("clip_text_tiny");
    }

    @Override public void run(GoldenCase c, Backend backend, VerifyReport report) {
        EncoderCase ec = new EncoderCase(c);
        if (!ec.onlyArguments(report, Set.of(INPUT_IDS))) return;
        Set<String> inputs = Set.of(INPUT_IDS);
        try (ClipTextModel model = ClipTextModel.load(c.dir(), backend)) {
            for (String group : ec.groups(INPUT_IDS)) {
                ClipTextOutput out = model.forward(ec.ids(group, INPUT_IDS));
                for (String variant : ec.variants(group, inputs)) {
                    if (!variant.isEmpty()) {
                        report.cannotRun(group + variant, "unknown variant '" + variant + "' of the CLIP case");
                        continue;
                    }
                    for (String x : ec.outputs(group, variant, inputs)) {
                        Object actual = switch (x) {
                            case "last_hidden_state" -> out.lastHiddenState();
                            case "pooler_output" -> out.poolerOutput();
                            case "hidden_states" -> EncoderCase.stack(backend, out.hiddenStates());
                            case "pooled_index" -> out.pooledIndex().stream().mapToLong(Integer::longValue).toArray();
                            default -> null;
                        };
                        ec.check(report, group, variant, x, actual);
                    }
                }
            }
        }
    }
}
