package org.uso4j.pipeline.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.Checkpoints;
import org.uso4j.model.flux.FluxConfig;
import org.uso4j.model.flux.FluxLayout;
import org.uso4j.model.uso.UsoDit;

/**
 * The {@code formats} case: the base FLUX weights of a source case (flux_tiny, flux_medium) in other layouts and
 * dtypes (diffusers sharded, fp8, GGUF, ComfyUI repacks of the LoRA/projector), run on the source case's inputs.
 * Outputs are named {@code <format path>/<subcase>/out}; the weight file is found from the format path.
 */
public final class FormatsCaseRunner implements CaseRunner {

    @Override public boolean handles(GoldenCase c) {
        return c.name().startsWith("formats") && c.json().has("formats");
    }

    @Override public void run(GoldenCase c, Backend be, VerifyReport report) throws Exception {
        // group outputs by format path: "gguf/flux_tiny-Q8_0/t2i/out" → "gguf/flux_tiny-Q8_0" : [t2i]
        Map<String, List<String>> byFormat = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : GoldenCase.fields(c.json().path("tensors"))) {
            String name = e.getKey();
            if (!name.endsWith("/out") || name.startsWith("t5_gguf/")) continue;
            String[] parts = name.split("/");
            String format = String.join("/", java.util.Arrays.copyOf(parts, parts.length - 2));
            byFormat.computeIfAbsent(format, k -> new ArrayList<>()).add(parts[parts.length - 2]);
        }
        T5GgufRunner.run(c, be, report);
        for (Map.Entry<String, List<String>> e : byFormat.entrySet()) {
            try {
                runFormat(c, e.getKey(), e.getValue(), be, report);
            } catch (RuntimeException ex) {
                report.cannotRun(e.getKey(), ex.getMessage());
            }
        }
    }

    private void runFormat(GoldenCase c, String format, List<String> subcases, Backend be, VerifyReport report) throws Exception {
        boolean comfy = format.startsWith("comfy");
        Path weights = comfy ? null : weightFile(c.dir(), format);
        try (Checkpoint base = comfy ? null : Checkpoints.open(weights)) {
            GoldenCase source = sourceCase(c, subcases, base);
            try (source) {
                FluxConfig cfg = FluxConfig.fromJson(source.json().path("config").path("FluxParams"));
                List<String[]> loraProjector = new ArrayList<>();
                if (comfy) {
                    for (String lora : new String[]{"uso-flux1-dit-lora-v1.safetensors", "uso-lora-comfy-internal-names.safetensors"}) {
                        if (Files.exists(c.dir().resolve(format).resolve(lora))) {
                            loraProjector.add(new String[]{c.dir().resolve(format).resolve(lora).toString(),
                                    c.dir().resolve(format).resolve("uso-flux1-projector-v1.safetensors").toString()});
                        }
                    }
                } else {
                    loraProjector.add(new String[]{source.file("dit_lora.safetensors").toString(), source.file("projector.safetensors").toString()});
                }
                for (String[] lp : loraProjector) {
                    try (Checkpoint flux = comfy ? Checkpoints.open(source.file("flux.safetensors")) : null;
                         Checkpoint lora = Checkpoints.open(Path.of(lp[0]));
                         Checkpoint proj = Checkpoints.open(Path.of(lp[1]))) {
                        UsoDit dit = UsoDit.load(comfy ? flux : base, lora, proj, cfg, 1f);
                        FluxCaseRunner.runSubcases(source, c, source.json().path("subcases"), dit, be, report, format + "/", subcases);
                    }
                }
            }
        }
    }

    /** "diffusers_sharded" → its transformer folder; "fp8/x" → fp8/x.safetensors; "gguf/x" → gguf/x.gguf. */
    static Path weightFile(Path dir, String format) {
        Path p = dir.resolve(format);
        if (Files.isDirectory(p.resolve("transformer"))) return p.resolve("transformer");
        if (Files.isDirectory(p)) return p;
        for (String ext : new String[]{".safetensors", ".gguf", ".sft"}) {
            Path f = dir.resolve(format + ext);
            if (Files.exists(f)) return f;
        }
        throw new IllegalStateException("no weight file for format '" + format + "' in " + dir);
    }

    /** The source case (among case.json "subcases" keys) whose FLUX width matches the file and holds the subcases. */
    private static GoldenCase sourceCase(GoldenCase c, List<String> subcases, Checkpoint base) {
        List<String> tried = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : GoldenCase.fields(c.json().path("subcases"))) {
            List<String> names = new ArrayList<>();
            e.getValue().path("subcases").forEach(n -> names.add(n.asText()));
            if (!names.containsAll(subcases)) continue;
            Path dir = c.dir().resolveSibling(e.getKey());
            if (!Files.isDirectory(dir)) dir = c.dir().getParent().resolve(e.getKey());
            GoldenCase src = GoldenCase.open(dir);
            int hidden = src.json().path("config").path("FluxParams").path("hidden_size").asInt();
            int fileHidden = base == null ? hidden : FluxLayout.toStore(base).shapeOf("img_in.weight").orElseThrow().dim(0);
            if (hidden == fileHidden) return src;
            tried.add(e.getKey());
            src.close();
        }
        throw new IllegalStateException("no source case for subcases " + subcases + " (tried " + tried + ")");
    }
}
