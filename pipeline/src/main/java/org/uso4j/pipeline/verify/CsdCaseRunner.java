package org.uso4j.pipeline.verify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.metrics.csd.CsdModel;
import org.uso4j.model.metrics.csd.CsdOutput;

/**
 * Runs the CSD cases ({@code csd_tiny}; reference learn2phoenix/CSD): {@code feature, content, style = model(image)},
 * loading the weights from every container the case ships: the torch.save {@code pytorch_model.bin}
 * ({@code model_state_dict}, {@code module.} keys) and the safetensors copy.
 */
public final class CsdCaseRunner implements CaseRunner {
    @Override public boolean handles(GoldenCase c) {
        return c.name().startsWith("csd_tiny") || "learn2phoenix/CSD".equals(c.json().path("reference").path("repo").asText());
    }

    @Override public void run(GoldenCase c, Backend backend, VerifyReport report) {
        List<Path> files = new ArrayList<>();
        for (String name : List.of("pytorch_model.bin", c.json().path("weights").asText("weights.safetensors"))) {
            Path p = c.file(name);
            if (Files.isRegularFile(p) && !files.contains(p)) files.add(p);
        }
        if (files.isEmpty()) report.cannotRun(c.name(), "no weights (pytorch_model.bin or weights.safetensors)");
        Tensor image = c.tensor("image");
        for (Path file : files) {
            try (CsdModel model = CsdModel.load(file, backend)) {
                CsdOutput out = model.forward(image);
                String from = " [" + file.getFileName() + "]";
                for (String name : List.of("feature", "content", "style")) {
                    if (!c.has(name)) continue;
                    Tensor actual = switch (name) {
                        case "feature" -> out.feature();
                        case "content" -> out.content();
                        default -> out.style();
                    };
                    report.compare(name + from, actual, c.tensor(name), c.requireAtol(name));
                }
            }
        }
    }
}
