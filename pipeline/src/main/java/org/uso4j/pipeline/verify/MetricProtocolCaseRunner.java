package org.uso4j.pipeline.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.metrics.csd.CsdOutput;
import org.uso4j.pipeline.eval.MetricModels;
import org.uso4j.pipeline.eval.MetricTransform;
import org.uso4j.pipeline.eval.PairScores;
import org.uso4j.pipeline.image.ImageDecoder;
import org.uso4j.pipeline.image.RgbImage;

/**
 * Runs the evaluation-protocol case ({@code metric_protocol}): PNG → CLIP and DINO preprocessing (uint8 crops
 * exact, pixels), the three metric models of {@code models} (other case folders), the pair matrices, CLIP-T
 * before and after the clip at 0, and the scores (CLIP-I, CLIP-T, DINO, CSD) of the one group.
 */
public final class MetricProtocolCaseRunner implements CaseRunner {
    @Override public boolean handles(GoldenCase c) {
        return c.name().startsWith("metric_protocol") || (c.json().path("models").has("clip") && c.json().has("scores_order"));
    }

    @Override public void run(GoldenCase c, Backend backend, VerifyReport report) {
        JsonNode models = c.json().path("models");
        Path clipDir = c.file(models.path("clip").asText()), dinoDir = c.file(models.path("dino").asText()), csdDir = c.file(models.path("csd").asText());
        Map<String, RgbImage> images = new LinkedHashMap<>();
        ImageDecoder decoder = new ImageDecoder();
        for (JsonNode im : c.json().path("images")) images.put(im.path("name").asText(), decoder.read(c.file(im.path("file").asText())));
        MetricTransform clipT = MetricTransform.clip(), dinoT = MetricTransform.dino();
        Map<String, Tensor> clipPixels = new LinkedHashMap<>(), dinoPixels = new LinkedHashMap<>();
        for (Map.Entry<String, RgbImage> e : images.entrySet()) {
            String n = e.getKey();
            RgbImage clipCrop = clipT.resizeAndCrop(e.getValue()), dinoCrop = dinoT.resizeAndCrop(e.getValue());
            clipPixels.put(n, clipT.normalize(clipCrop));
            dinoPixels.put(n, dinoT.normalize(dinoCrop));
            check(c, report, "clip_crop_u8." + n, PixelComparison.hwc(clipCrop));
            check(c, report, "clip_pixels." + n, clipPixels.get(n));
            check(c, report, "dino_crop_u8." + n, PixelComparison.hwc(dinoCrop));
            check(c, report, "dino_pixels." + n, dinoPixels.get(n));
        }
        List<String> rows = names(c.json().path("feature_rows")), gen = names(c.json().path("generated")), refs = names(c.json().path("references"));
        List<String> prompts = names(c.json().path("prompts"));
        try (MetricModels m = MetricModels.load(weights(clipDir), vocab(clipDir), weights(dinoDir), weights(csdDir), backend)) {
            // features come back from the backend (a device backend's are downloaded here, at the edge)
            Tensor clipImg = backend.toHost(m.clip().encodeImage(stack(rows, clipPixels)));
            long[][] tokens = m.tokenizer().tokenize(prompts);
            Tensor clipTxt = backend.toHost(m.clip().encodeText(tokens));
            Tensor dino = backend.toHost(m.dino().forward(stack(rows, dinoPixels)).cls());
            CsdOutput csd = m.csd().forward(stack(rows, clipPixels));
            csd = new CsdOutput(backend.toHost(csd.feature()), backend.toHost(csd.content()), backend.toHost(csd.style()));
            check(c, report, "clip_image_features", clipImg);
            check(c, report, "clip_t_tokens", Tensor.wrap(flatten(tokens), tokens.length, tokens[0].length));
            check(c, report, "clip_text_features", clipTxt);
            check(c, report, "dino_features", dino);
            check(c, report, "csd_feature", csd.feature());
            check(c, report, "csd_content", csd.content());
            check(c, report, "csd_style", csd.style());

            double[][] clipI = pairs(rows, gen, refs, clipImg), dinoP = pairs(rows, gen, refs, dino), csdP = pairs(rows, gen, refs, csd.style());
            List<float[]> img = PairScores.rows(clipImg), txt = PairScores.rows(clipTxt);
            double[] raw = new double[gen.size()], clipped = new double[gen.size()];
            for (int g = 0; g < gen.size(); g++) {
                raw[g] = PairScores.cosine(img.get(rows.indexOf(gen.get(g))), txt.get(g));
                clipped[g] = PairScores.clipT(raw[g]);
            }
            check(c, report, "clip_i_pairs", PairScores.tensor(clipI));
            check(c, report, "dino_pairs", PairScores.tensor(dinoP));
            check(c, report, "csd_pairs", PairScores.tensor(csdP));
            check(c, report, "clip_t_raw", PairScores.tensor(raw, raw.length));
            check(c, report, "clip_t_per_image", PairScores.tensor(clipped, clipped.length));
            Map<String, Double> scores = Map.of("clip_i", PairScores.mean(clipI), "clip_t", PairScores.mean(clipped),
                    "dino", PairScores.mean(dinoP), "csd", PairScores.mean(csdP));
            List<String> order = names(c.json().path("scores_order"));
            double[] s = new double[order.size()];
            for (int i = 0; i < s.length; i++) {
                Double v = scores.get(order.get(i));
                if (v == null) report.cannotRun("scores", "unknown score '" + order.get(i) + "'");
                s[i] = v == null ? Double.NaN : v;
            }
            check(c, report, "scores", PairScores.tensor(s, s.length));
        }
    }

    private static void check(GoldenCase c, VerifyReport report, String name, Tensor actual) {
        if (!c.has(name)) return;
        if (c.json().path("tolerance").path(name).path("exact").asBoolean(false)) report.exact(name, actual.toLongs(), c.tensor(name).toLongs());
        else OpenAiClipCaseRunner.compare(c, report, name, actual);
    }

    /** The weight file a model case folder names in its case.json ({@code weights}), else weights.safetensors. */
    static Path weights(Path caseDir) {
        return caseDir.resolve(caseJson(caseDir).path("weights").asText("weights.safetensors"));
    }

    static Path vocab(Path caseDir) {
        return caseDir.resolve(caseJson(caseDir).path("vocab").asText("bpe_simple_vocab_16e6.txt.gz"));
    }

    private static JsonNode caseJson(Path dir) {
        if (!Files.isRegularFile(dir.resolve("case.json"))) return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        try (GoldenCase mc = GoldenCase.open(dir)) {
            return mc.json();
        }
    }

    private static double[][] pairs(List<String> rows, List<String> gen, List<String> refs, Tensor features) {
        List<float[]> f = PairScores.rows(features);
        return PairScores.pairs(gen.stream().map(n -> f.get(rows.indexOf(n))).toList(), refs.stream().map(n -> f.get(rows.indexOf(n))).toList());
    }

    private static Tensor stack(List<String> rows, Map<String, Tensor> pixels) {
        List<float[]> parts = new ArrayList<>();
        int[] d = pixels.get(rows.getFirst()).dims();
        for (String r : rows) parts.add(pixels.get(r).floats());
        float[] out = new float[parts.size() * parts.getFirst().length];
        for (int i = 0; i < parts.size(); i++) System.arraycopy(parts.get(i), 0, out, i * parts.get(i).length, parts.get(i).length);
        return Tensor.wrap(out, rows.size(), d[0], d[1], d[2]);
    }

    private static float[] flatten(long[][] ids) {
        float[] out = new float[ids.length * ids[0].length];
        for (int i = 0; i < ids.length; i++)
            for (int j = 0; j < ids[i].length; j++) out[i * ids[i].length + j] = ids[i][j];
        return out;
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) out.add(n.asText());
        return out;
    }
}
