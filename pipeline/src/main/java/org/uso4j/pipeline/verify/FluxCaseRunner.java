package org.uso4j.pipeline.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.Checkpoints;
import org.uso4j.model.flux.FluxConfig;
import org.uso4j.model.flux.FluxInputs;
import org.uso4j.model.uso.StyleFeatureLevel;
import org.uso4j.model.uso.UsoDit;

/**
 * {@code flux_*} cases: {@code Flux.forward} subcases (any config, batch, references, styles, LoRA weight) with their
 * {@code debug/*} intermediates, and the per-layer {@code unit/*} tests.
 */
public final class FluxCaseRunner implements CaseRunner {

    @Override public boolean handles(GoldenCase c) {
        return c.name().startsWith("flux") && c.json().path("config").has("FluxParams") && c.json().has("subcases");
    }

    @Override public void run(GoldenCase c, Backend be, VerifyReport report) {
        FluxConfig cfg = FluxConfig.fromJson(c.json().path("config").path("FluxParams"));
        try (Checkpoint flux = Checkpoints.open(c.file("flux.safetensors"));
             Checkpoint lora = openIfPresent(c, "dit_lora.safetensors");
             Checkpoint proj = openIfPresent(c, "projector.safetensors")) {
            UsoDit dit = UsoDit.load(flux, lora, proj, cfg, 1f, be);
            runSubcases(c, c.json().path("subcases"), dit, be, report, "");
            JsonNode subcases = c.json().path("subcases");
            float last = subcases.isEmpty() ? 1f : (float) subcases.get(subcases.size() - 1).path("lora_weight").asDouble(1.0);
            new FluxUnitTests(c, dit, be, report).runAll(c.json().path("unit_tests"), last);
        }
    }

    static Checkpoint openIfPresent(GoldenCase c, String file) {
        return Files.exists(c.file(file)) ? Checkpoints.open(c.file(file)) : null;
    }

    /**
     * Runs every subcase's {@code Flux.forward} with {@code dit}; outputs are looked up as {@code outputPrefix + name}
     * (the formats case keeps the inputs of the source case and prefixes its outputs).
     */
    static void runSubcases(GoldenCase inputs, JsonNode subcases, UsoDit dit, Backend be, VerifyReport report, String outputPrefix) {
        runSubcases(inputs, inputs, subcases, dit, be, report, outputPrefix, null);
    }

    static void runSubcases(GoldenCase inputs, GoldenCase outputs, JsonNode subcases, UsoDit dit, Backend be, VerifyReport report,
                            String outputPrefix, List<String> only) {
        for (JsonNode s : subcases) {
            String name = s.path("name").asText();
            if (only != null && !only.contains(name)) continue;
            JsonNode a = s.path("args");
            dit.setLoraWeight((float) s.path("lora_weight").asDouble(1.0));
            List<Tensor> styles = new ArrayList<>();
            for (JsonNode si : a.path("siglip_inputs")) styles.add(dit.styleTokens(be, hiddenStates(inputs, si)));
            FluxInputs in = new FluxInputs(f(inputs, a, "img"), f(inputs, a, "img_ids"), f(inputs, a, "txt"), f(inputs, a, "txt_ids"),
                    f(inputs, a, "timesteps"), f(inputs, a, "y"), a.hasNonNull("guidance") ? f(inputs, a, "guidance") : null,
                    list(inputs, a.path("ref_img")), list(inputs, a.path("ref_img_ids")), styles);
            Map<String, Tensor> trace = new HashMap<>();
            Tensor out = dit.flux().forward(be, in, trace::put);
            String outName = outputPrefix + s.path("output").asText(name + "/out");
            report.compare(outName, out, outputs.tensor(outName), outputs.requireAtol(outName));
            if (outputPrefix.isEmpty()) {
                for (Map.Entry<String, Tensor> e : trace.entrySet()) {
                    String debug = name + "/debug/" + e.getKey();
                    if (outputs.has(debug)) {
                        Tensor expected = outputs.tensor(debug);
                        report.compare(debug, e.getValue().reshape(expected.dims()), expected,
                                outputs.atol(debug).orElse(0.0));
                    }
                }
            }
        }
    }

    static Tensor f(GoldenCase c, JsonNode args, String key) {
        JsonNode n = args.path(key);
        if (!n.isTextual()) throw new IllegalArgumentException("case.json: argument '" + key + "' is not a tensor name");
        return c.tensor(n.asText()).toF32();
    }

    static List<Tensor> list(GoldenCase c, JsonNode names) {
        List<Tensor> out = new ArrayList<>();
        for (JsonNode n : names) out.add(c.tensor(n.asText()).toF32());
        return out;
    }

    /** {"hidden_states[-2]": name, "hidden_states[-11]": name, "hidden_states[-20]": name} → levels. */
    static Map<StyleFeatureLevel, Tensor> hiddenStates(GoldenCase c, JsonNode args) {
        Map<StyleFeatureLevel, Tensor> hs = new EnumMap<>(StyleFeatureLevel.class);
        for (StyleFeatureLevel level : StyleFeatureLevel.values()) {
            JsonNode n = args.path("hidden_states[" + level.hiddenStateIndex() + "]");
            if (!n.isTextual()) throw new IllegalArgumentException("case.json: no hidden_states[" + level.hiddenStateIndex() + "] argument");
            hs.put(level, c.tensor(n.asText()).toF32());
        }
        return hs;
    }
}
