package org.uso4j.pipeline.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.metrics.dino.DinoModel;
import org.uso4j.model.metrics.dino.DinoOutput;

/**
 * Runs the DINO ViT cases ({@code dino_tiny}; reference facebookresearch/dino): every call of case.json
 * ({@code model(x_HxW)}) with its CLS output and the added position table ({@code pos_*} intermediates).
 */
public final class DinoCaseRunner implements CaseRunner {
    @Override public boolean handles(GoldenCase c) {
        return c.name().startsWith("dino_tiny") || "facebookresearch/dino".equals(c.json().path("reference").path("repo").asText());
    }

    @Override public void run(GoldenCase c, Backend backend, VerifyReport report) {
        try (DinoModel model = DinoModel.load(c.file(c.json().path("weights").asText("weights.safetensors")), backend)) {
            for (JsonNode call : c.json().path("calls")) {
                String input = call.path("inputs").path(0).asText();
                List<String> outputs = new ArrayList<>();
                for (JsonNode o : call.path("outputs")) outputs.add(o.asText());
                for (Map.Entry<String, JsonNode> e : GoldenCase.fields(call.path("intermediates"))) outputs.add(e.getKey());
                if (input.isEmpty() || !c.has(input)) {
                    report.cannotRun(call.path("call").asText("?"), "input '" + input + "' is not in io.safetensors");
                    continue;
                }
                DinoOutput out = model.forward(c.tensor(input));
                for (String name : outputs) {
                    OpenAiClipCaseRunner.compare(c, report, name, name.startsWith("cls") ? out.cls() : name.startsWith("pos") ? out.pos() : null);
                }
            }
        }
    }
}
