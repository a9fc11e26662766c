package org.uso4j.pipeline.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.Checkpoints;
import org.uso4j.model.flux.FluxConfig;
import org.uso4j.model.flux.FluxInputs;
import org.uso4j.model.uso.UsoDit;
import org.uso4j.pipeline.sampling.EulerSampler;
import org.uso4j.pipeline.sampling.Latents;
import org.uso4j.pipeline.sampling.PositionEmbedding;
import org.uso4j.pipeline.sampling.Schedule;

/** The {@code sampling} case: get_schedule, prepare_multi_ip ids/packing, pack/unpack, and a full denoise loop. */
public final class SamplingCaseRunner implements CaseRunner {

    @Override public boolean handles(GoldenCase c) {
        return c.name().startsWith("sampling") || (c.json().has("schedules") && c.json().has("denoise"));
    }

    @Override public void run(GoldenCase c, Backend be, VerifyReport report) {
        JsonNode j = c.json();
        for (JsonNode s : j.path("schedules")) {
            String name = s.path("tensor").asText();
            float[] t = Schedule.get(s.path("num_steps").asInt(), s.path("image_seq_len").asInt(),
                    s.path("base_shift").asDouble(Schedule.BASE_SHIFT), s.path("max_shift").asDouble(Schedule.MAX_SHIFT),
                    s.path("shift").asBoolean(true));
            report.compare(name, Tensor.wrap(t, t.length), c.tensor(name), c.atol(name).orElse(1e-6));
        }
        for (JsonNode p : j.path("prepare_multi_ip")) prepare(c, be, p, report);
        JsonNode pu = j.path("pack_unpack");
        if (c.has("pack/latent")) {
            Tensor packed = Latents.pack(be, c.tensor("pack/latent").toF32());
            report.exact("pack/packed", packed, c.tensor("pack/packed"));
            report.exact("pack/unpacked", Latents.unpack(be, c.tensor("pack/packed").toF32(), pu.path("height").asInt(), pu.path("width").asInt()),
                    c.tensor("pack/unpacked"));
        }
        if (j.has("denoise")) denoise(c, be, j.path("denoise"), report);
    }

    private static void prepare(GoldenCase c, Backend be, JsonNode p, VerifyReport report) {
        JsonNode a = p.path("args"), o = p.path("outputs");
        List<Tensor> refs = FluxCaseRunner.list(c, a.path("ref_imgs"));
        Latents.Prepared r = Latents.prepareMultiIp(be, c.tensor(a.path("img").asText()).toF32(), refs, PositionEmbedding.parse(p.path("pe").asText()));
        report.exact(o.path("img").asText() + " (" + p.path("n_refs").asInt() + " refs, pe " + p.path("pe").asText() + ")", r.img(), c.tensor(o.path("img").asText()));
        report.exact(o.path("img_ids").asText(), r.imgIds(), c.tensor(o.path("img_ids").asText()));
        for (int k = 0; k < refs.size(); k++) {
            report.exact(o.path("ref_img").get(k).asText() + " (pe " + p.path("pe").asText() + ")", r.refImg().get(k), c.tensor(o.path("ref_img").get(k).asText()));
            report.exact(o.path("ref_img_ids").get(k).asText(), r.refImgIds().get(k), c.tensor(o.path("ref_img_ids").get(k).asText()));
        }
        if (o.has("txt_ids")) {
            Tensor txt = c.tensor(o.path("txt").asText());
            report.exact(o.path("txt_ids").asText() + " (" + p.path("n_refs").asInt() + " refs, pe " + p.path("pe").asText() + ")",
                    Latents.txtIds(be, txt.dim(0), txt.dim(1)), c.tensor(o.path("txt_ids").asText()));
        }
    }

    /** The FluxParams object of the case (under flux_tiny_config or any other top-level config object). */
    private static JsonNode fluxParams(GoldenCase c) {
        for (var e : GoldenCase.fields(c.json())) {
            if (e.getValue().has("FluxParams")) return e.getValue().path("FluxParams");
        }
        throw new IllegalArgumentException(c.dir() + ": case.json has no FluxParams for the denoise model");
    }

    private static void denoise(GoldenCase c, Backend be, JsonNode d, VerifyReport report) {
        FluxConfig cfg = FluxConfig.fromJson(fluxParams(c));
        try (Checkpoint flux = Checkpoints.open(c.file("flux.safetensors"));
             Checkpoint lora = FluxCaseRunner.openIfPresent(c, "dit_lora.safetensors");
             Checkpoint proj = FluxCaseRunner.openIfPresent(c, "projector.safetensors")) {
            UsoDit dit = UsoDit.load(flux, lora, proj, cfg, (float) d.path("lora_weight").asDouble(1.0), be);
            int width = d.path("width").asInt(), height = d.path("height").asInt();
            float[] timesteps = Schedule.get(d.path("steps").asInt(), Schedule.pipelineSeqLen(width, height));
            report.compare("denoise/timesteps", Tensor.wrap(timesteps, timesteps.length), c.tensor("denoise/timesteps"), 1e-6);
            List<Tensor> styles = new ArrayList<>();
            if (c.has("denoise/style0.hidden_states_m2")) {
                for (int k = 0; c.has("denoise/style" + k + ".hidden_states_m2"); k++) {
                    var hs = new java.util.EnumMap<org.uso4j.model.uso.StyleFeatureLevel, Tensor>(org.uso4j.model.uso.StyleFeatureLevel.class);
                    for (var level : org.uso4j.model.uso.StyleFeatureLevel.values()) {
                        hs.put(level, c.tensor("denoise/style" + k + ".hidden_states_m" + (-level.hiddenStateIndex())).toF32());
                    }
                    styles.add(dit.styleTokens(be, hs));
                }
            }
            // the latents go through our own packing and ids; the stored packed tensors check them
            Tensor noise = c.tensor("denoise/noise").toF32();
            List<Tensor> refLatents = new ArrayList<>();
            for (int k = 0; c.has("denoise/ref_latent" + (k == 0 ? "" : "." + k)); k++) refLatents.add(c.tensor("denoise/ref_latent" + (k == 0 ? "" : "." + k)).toF32());
            Latents.Prepared prep = Latents.prepareMultiIp(be, noise, refLatents, PositionEmbedding.parse(d.path("pe").asText("d")));
            report.exact("denoise/img", prep.img(), c.tensor("denoise/img"));
            report.exact("denoise/img_ids", prep.imgIds(), c.tensor("denoise/img_ids"));
            for (int k = 0; k < prep.refImg().size(); k++) {
                report.exact("denoise/ref_img." + k, prep.refImg().get(k), c.tensor("denoise/ref_img." + k));
                report.exact("denoise/ref_img_ids." + k, prep.refImgIds().get(k), c.tensor("denoise/ref_img_ids." + k));
            }
            Tensor txt = c.tensor("denoise/txt").toF32();
            FluxInputs cond = new FluxInputs(prep.img(), prep.imgIds(), txt, Latents.txtIds(be, txt.dim(0), txt.dim(1)), null,
                    c.tensor("denoise/vec").toF32(), null, prep.refImg(), prep.refImgIds(), styles);
            Map<String, Tensor> trace = new HashMap<>();
            Tensor x = EulerSampler.denoise(be, dit, cond, timesteps, (float) d.path("guidance").asDouble(4.0), null, trace::put);
            for (String k : trace.keySet().stream().sorted().toList()) {
                String name = "denoise/" + k;
                if (c.has(name) && c.atol(name).isPresent()) report.compare(name, trace.get(k), c.tensor(name), c.requireAtol(name));
            }
            report.compare("denoise/x_final", x, c.tensor("denoise/x_final"), c.requireAtol("denoise/x_final"));
            Tensor latent = Latents.unpack(be, x, height, width);
            report.compare("denoise/latent_final", latent, c.tensor("denoise/latent_final"), c.atol("denoise/latent_final").orElse(c.requireAtol("denoise/x_final")));
        }
    }
}
