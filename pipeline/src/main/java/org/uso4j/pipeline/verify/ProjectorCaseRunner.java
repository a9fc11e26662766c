package org.uso4j.pipeline.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumMap;
import java.util.Map;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.Checkpoints;
import org.uso4j.core.io.WeightStore;
import org.uso4j.model.uso.ProjectorConfig;
import org.uso4j.model.uso.StyleFeatureLevel;
import org.uso4j.model.uso.StyleProjector;
import org.uso4j.model.uso.UsoLayouts;

/** The {@code projector} case: {@code SigLIPMultiFeatProjModel.forward} alone, geometry from case.json. */
public final class ProjectorCaseRunner implements CaseRunner {

    @Override public boolean handles(GoldenCase c) {
        return c.name().startsWith("projector") && c.json().has("args");
    }

    @Override public void run(GoldenCase c, Backend be, VerifyReport report) {
        JsonNode cfg = c.json().path("config");
        try (Checkpoint file = Checkpoints.open(c.file("projector.safetensors"))) {
            WeightStore store = UsoLayouts.projectorStore(file);
            StyleProjector projector = new StyleProjector(store, new ProjectorConfig(cfg.path("siglip_token_nums").asInt(),
                    cfg.path("style_token_nums").asInt(), cfg.path("siglip_token_dims").asInt(), cfg.path("hidden_size").asInt()));
            store.requireAllUsed("the USO style projector");
            Map<StyleFeatureLevel, Tensor> hs = new EnumMap<>(StyleFeatureLevel.class);
            JsonNode a = c.json().path("args");
            for (StyleFeatureLevel level : StyleFeatureLevel.values()) {
                hs.put(level, c.tensor(a.path("siglip_outputs.hidden_states[" + level.hiddenStateIndex() + "]").asText()).toF32());
            }
            String out = c.json().path("output").asText("out");
            report.compare(out, projector.forward(be, hs), c.tensor(out), c.requireAtol(out));
        }
    }
}
