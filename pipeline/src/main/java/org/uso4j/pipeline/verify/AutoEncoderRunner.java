package org.uso4j.pipeline.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.Checkpoints;
import org.uso4j.core.io.WeightStore;
import org.uso4j.model.vae.AutoEncoder;
import org.uso4j.model.vae.AutoEncoderParams;
import org.uso4j.pipeline.DecodedImage;

/**
 * {@code ae_*} cases: the FLUX VAE on {@code x} (and the stored posterior noise {@code eps}): {@code moments}
 * (encoder), {@code z_mean} / {@code z_sample} (encode without / with eps), {@code decoded} (decode of the golden
 * {@code z_mean}) and {@code decoded_u8} (pipeline post-processing, ±1). The network's sizes come from the
 * weights (shapes + metadata config), never from this case; names may carry a {@code <subcase>/} prefix.
 */
public final class AutoEncoderRunner implements CaseRunner {
    private static final String WEIGHTS = "ae.safetensors";
    private static final Set<String> OUTPUTS = Set.of("moments", "z_mean", "z_sample", "decoded", "decoded_u8");

    @Override public boolean handles(GoldenCase c) {
        boolean vae = c.name().startsWith("ae") || c.json().path("config").has("AutoEncoderParams");
        return vae && Files.isRegularFile(weights(c));
    }

    private static Path weights(GoldenCase c) { return c.file(WEIGHTS); }

    @Override public void run(GoldenCase c, Backend be, VerifyReport report) throws Exception {
        try (Checkpoint ckpt = Checkpoints.open(weights(c))) {
            WeightStore store = new WeightStore().addAll(ckpt);
            AutoEncoderParams params = AutoEncoderParams.infer(store, ckpt.metadata());
            JsonNode stated = c.json().path("config").path("AutoEncoderParams");
            if (!ckpt.metadata().containsKey("config") && stated.path("scale_factor").isNumber() && stated.path("shift_factor").isNumber()) {
                // weights without a metadata config: the architecture still comes from the shapes, the scaling from the case
                params = params.withScaling((float) stated.path("scale_factor").asDouble(), (float) stated.path("shift_factor").asDouble());
            }
            AutoEncoder ae = AutoEncoder.load(store, params);
            checkConfig(c, ae.params(), report);
            List<String> prefixes = new ArrayList<>();
            for (String name : c.io().names()) if (name.equals("x") || name.endsWith("/x")) prefixes.add(name.substring(0, name.length() - 1));
            if (prefixes.isEmpty()) report.cannotRun(c.name(), "io.safetensors has no input image 'x'");
            for (String p : prefixes) runSubcase(c, p, ae, be, report);
            for (Map.Entry<String, JsonNode> t : GoldenCase.fields(c.json().path("tensors"))) {
                String base = t.getKey().substring(t.getKey().lastIndexOf('/') + 1);
                if ("output".equals(t.getValue().path("role").asText()) && !OUTPUTS.contains(base)) {
                    report.cannotRun(t.getKey(), "unknown AutoEncoder output");
                }
            }
        }
    }

    private static void runSubcase(GoldenCase c, String p, AutoEncoder ae, Backend be, VerifyReport report) {
        Tensor x = c.tensor(p + "x").toF32();
        Tensor moments = ae.moments(be, x);                             // [B, 2·z, H/f, W/f]
        if (c.has(p + "moments")) compare(c, report, p + "moments", moments);
        Tensor zMean = ae.latent(be, moments, null);
        if (c.has(p + "z_mean")) compare(c, report, p + "z_mean", zMean);
        if (c.has(p + "z_sample")) {
            if (!c.has(p + "eps")) report.cannotRun(p + "z_sample", "no posterior noise '" + p + "eps' in io.safetensors");
            else compare(c, report, p + "z_sample", ae.latent(be, moments, c.tensor(p + "eps").toF32()));
        }
        if (c.has(p + "decoded") || c.has(p + "decoded_u8")) {
            // decode(z_mean): from the golden latent, so that decode is checked on its own
            Tensor z = c.has(p + "z_mean") ? c.tensor(p + "z_mean").toF32() : zMean;
            Tensor decoded = ae.decode(be, z);                           // [B, 3, H, W]
            if (c.has(p + "decoded")) compare(c, report, p + "decoded", decoded);
            if (c.has(p + "decoded_u8")) {
                // uint8 results of a float pipeline: ±1 (README tolerance policy)
                report.compare(p + "decoded_u8", DecodedImage.of(be.toHost(decoded)).toTensor(), c.tensor(p + "decoded_u8"), 1);
            }
        }
    }

    private static void compare(GoldenCase c, VerifyReport report, String name, Tensor actual) {
        String base = name.substring(name.lastIndexOf('/') + 1);
        double atol = c.atol(name).orElseGet(() -> c.requireAtol(base));
        report.compare(name, actual, c.tensor(name), atol);
    }

    /** When the case states the AutoEncoderParams it was built with, the ones read from the weights must agree. */
    private static void checkConfig(GoldenCase c, AutoEncoderParams got, VerifyReport report) {
        JsonNode want = c.json().path("config").path("AutoEncoderParams");
        if (!want.isObject()) return;
        List<Integer> chMult = new ArrayList<>();
        want.path("ch_mult").forEach(n -> chMult.add(n.asInt()));
        AutoEncoderParams expected = new AutoEncoderParams(want.path("resolution").asInt(got.resolution()),
                want.path("in_channels").asInt(), want.path("ch").asInt(), want.path("out_ch").asInt(), chMult,
                want.path("num_res_blocks").asInt(), want.path("z_channels").asInt(),
                (float) want.path("scale_factor").asDouble(), (float) want.path("shift_factor").asDouble());
        report.check("config", expected.equals(got), expected.equals(got) ? "" : "weights give " + got + ", case.json says " + expected);
    }
}
