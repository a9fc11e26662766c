package org.uso4j.pipeline.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.flux.DoubleStreamBlock;
import org.uso4j.model.flux.Flux;
import org.uso4j.model.flux.FluxAttention;
import org.uso4j.model.flux.Modulation;
import org.uso4j.model.nn.LayerNorm;
import org.uso4j.model.nn.LowRank;
import org.uso4j.model.uso.UsoDit;

/** The {@code unit/*} tests of a flux case: single official modules on inputs that expose eps/activation/layout slips. */
final class FluxUnitTests {
    private final GoldenCase c;
    private final UsoDit dit;
    private final Flux flux;
    private final Backend be;
    private final VerifyReport report;

    FluxUnitTests(GoldenCase c, UsoDit dit, Backend be, VerifyReport report) {
        this.c = c;
        this.dit = dit;
        this.flux = dit.flux();
        this.be = be;
        this.report = report;
    }

    /**
     * The golden generator ran the unit tests on the model as the subcases left it: the processors keep the
     * {@code lora_weight} of the last subcase (0.5 after {@code content_2styles_lora05}), whatever the unit test's
     * description says. We reproduce that state.
     */
    void runAll(JsonNode tests, float loraWeightOfLastSubcase) {
        dit.setLoraWeight(loraWeightOfLastSubcase);
        for (JsonNode u : tests) {
            String name = u.path("name").asText();
            JsonNode a = u.path("args");
            List<String> outs = new ArrayList<>();
            u.path("outputs").forEach(o -> outs.add(o.asText()));
            try {
                List<Tensor> got = run(name, a);
                if (got == null) {
                    report.cannotRun("unit/" + name, "unknown unit test '" + name + "'");
                    continue;
                }
                for (int i = 0; i < outs.size(); i++) {
                    Tensor expected = c.tensor(outs.get(i));
                    report.compare(outs.get(i), got.get(i).reshape(expected.dims()), expected, c.requireAtol(outs.get(i)));
                }
            } catch (RuntimeException e) {
                report.cannotRun("unit/" + name, e.toString());
            }
        }
    }

    private Tensor arg(JsonNode a, String key) { return FluxCaseRunner.f(c, a, key); }

    private List<Tensor> run(String name, JsonNode a) {
        DoubleStreamBlock d0 = flux.doubleBlocks().isEmpty() ? null : flux.doubleBlocks().get(0);
        return switch (name) {
            case "timestep_embedding" -> List.of(Flux.timestepEmbedding(be, arg(a, "t")));
            case "time_in" -> List.of(flux.timeIn().forward(be, Flux.timestepEmbedding(be, arg(a, "t"))));
            case "rope" -> List.of(flux.peEmbedder().forward(be, arg(a, "ids")));
            case "attention" -> List.of(FluxAttention.attention(be, arg(a, "q"), arg(a, "k"), arg(a, "v"), arg(a, "pe")));
            case "qknorm" -> List.of(d0.imgAttn().norm().forward(be, arg(a, "q"), arg(a, "k")));
            case "layernorm" -> List.of(LayerNorm.plain(1e-6f).forward(be, arg(a, "x")));
            case "mlp" -> List.of(d0.imgMlp(be, arg(a, "x")));
            case "modulation_double" -> mods(d0.imgModulation().forward(be, arg(a, "vec")));
            case "modulation_single" -> mods(flux.singleBlocks().get(0).modulation().forward(be, arg(a, "vec")));
            case "lora" -> {
                LowRank l = d0.imgAttn().qkv().lora().get(0);
                yield List.of(be.linear(be.linear(arg(a, "x"), l.down(), null), l.up(), null));
            }
            case "double_block" -> List.of(d0.forward(be, arg(a, "img"), arg(a, "txt"), arg(a, "vec"), arg(a, "pe")));
            case "single_block" -> List.of(flux.singleBlocks().get(0).forward(be, arg(a, "x"), arg(a, "vec"), arg(a, "pe")));
            case "projector" -> List.of(dit.styleTokens(be, FluxCaseRunner.hiddenStates(c, a)));
            case "last_layer" -> List.of(flux.finalLayer().forward(be, arg(a, "x"), arg(a, "vec")));
            default -> null;
        };
    }

    private static List<Tensor> mods(Modulation.Out[] m) {
        List<Tensor> out = new ArrayList<>();
        for (Modulation.Out o : m) {
            if (o == null) continue;
            out.add(o.shift());
            out.add(o.scale());
            out.add(o.gate());
        }
        return out;
    }
}
