package org.uso4j.pipeline.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.uso4j.core.DType;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.Checkpoints;
import org.uso4j.core.io.QuantizedStore;
import org.uso4j.model.flux.FluxConfig;
import org.uso4j.model.flux.FluxInputs;
import org.uso4j.model.uso.UsoDit;

/**
 * FLUX forward on {@code flux_medium} with its bf16 transformer weights quantized at load ({@code --quantize}):
 * every subcase's output stays within a bound of the float32 golden, as a fraction of the output's largest
 * magnitude. Bounds are the measured errors (q8_0 3.7e-4, fp8 2.7e-3, q4_K 6.0e-3 of max|out| ≈ 2.1) with 2-3× margin.
 */
class QuantizedFluxTest {
    @ParameterizedTest
    @CsvSource({"Q8_0, 1e-3", "F8_E4M3, 6e-3", "Q4_K, 1.2e-2"})
    void fluxMediumQuantizedAtLoadStaysClose(DType target, double bound) {
        Path dir = GoldenDir.golden().resolve("flux_medium");
        Assumptions.assumeTrue(Files.isDirectory(dir), "golden case not found: " + dir);
        GoldenCase c = GoldenCase.open(dir);
        FluxConfig cfg = FluxConfig.fromJson(c.json().path("config").path("FluxParams"));
        List<String> lines = new ArrayList<>();
        double worst = 0;
        try (Checkpoint flux = QuantizedStore.of(Checkpoints.open(c.file("flux.safetensors")), target);
             Checkpoint lora = FluxCaseRunner.openIfPresent(c, "dit_lora.safetensors");
             Checkpoint proj = FluxCaseRunner.openIfPresent(c, "projector.safetensors");
             CpuBackend be = CpuBackend.create()) {
            UsoDit dit = UsoDit.load(flux, lora, proj, cfg, 1f);
            assertTrue(dit.summary().contains(target.name()), dit.summary());
            for (JsonNode s : c.json().path("subcases")) {
                String name = s.path("name").asText();
                JsonNode a = s.path("args");
                dit.setLoraWeight((float) s.path("lora_weight").asDouble(1.0));
                List<Tensor> styles = new ArrayList<>();
                for (JsonNode si : a.path("siglip_inputs")) styles.add(dit.styleTokens(be, FluxCaseRunner.hiddenStates(c, si)));
                FluxInputs in = new FluxInputs(FluxCaseRunner.f(c, a, "img"), FluxCaseRunner.f(c, a, "img_ids"),
                        FluxCaseRunner.f(c, a, "txt"), FluxCaseRunner.f(c, a, "txt_ids"), FluxCaseRunner.f(c, a, "timesteps"),
                        FluxCaseRunner.f(c, a, "y"), a.hasNonNull("guidance") ? FluxCaseRunner.f(c, a, "guidance") : null,
                        FluxCaseRunner.list(c, a.path("ref_img")), FluxCaseRunner.list(c, a.path("ref_img_ids")), styles);
                float[] out = dit.flux().forward(be, in, (k, v) -> { }).floats();
                float[] expected = c.tensor(s.path("output").asText(name + "/out")).toF32().floats();
                double maxAbs = 0, maxErr = 0;
                for (int i = 0; i < expected.length; i++) {
                    maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
                    maxErr = Math.max(maxErr, Math.abs(out[i] - expected[i]));
                }
                double rel = maxErr / maxAbs;
                worst = Math.max(worst, rel);
                lines.add(String.format("%s %s: max|err| %.3g, max|out| %.3g, ratio %.3g", target, name, maxErr, maxAbs, rel));
            }
        }
        System.out.println(String.join("\n", lines));
        assertTrue(worst <= bound, String.join("\n", lines));
    }
}
