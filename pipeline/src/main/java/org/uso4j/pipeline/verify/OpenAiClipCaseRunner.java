package org.uso4j.pipeline.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.metrics.clip.ClipModel;
import org.uso4j.model.metrics.clip.OpenAiClipTokenizer;
import org.uso4j.model.metrics.clip.VisionTransformerOutput;

/**
 * Runs the OpenAI CLIP metric cases ({@code clip_tiny}; reference openai/CLIP): {@code clip.tokenize} of every
 * prompt in case.json against {@code tokens} (exact), {@code encode_image(image)} with the {@code visual_ln_pre} /
 * {@code visual_blockN} intermediates, and {@code encode_text(tokens)} with {@code text_blockN}, for whichever of
 * these outputs case.json lists.
 */
public final class OpenAiClipCaseRunner implements CaseRunner {
    private static final Pattern BLOCK = Pattern.compile("(visual|text)_block(\\d+)");

    @Override public boolean handles(GoldenCase c) {
        return c.name().startsWith("clip_tiny") || ("openai/CLIP".equals(c.json().path("reference").path("repo").asText())
                && !c.json().has("models"));
    }

    @Override public void run(GoldenCase c, Backend backend, VerifyReport report) {
        try (ClipModel model = ClipModel.load(c.file(c.json().path("weights").asText("weights.safetensors")), backend)) {
            VisionTransformerOutput visual = c.has("image") ? model.visual(c.tensor("image")) : null;
            long[][] inputTokens = c.has("tokens") ? rows(c.tensor("tokens")) : null;
            List<Tensor> textBlocks = null;
            Tensor textFeatures = null;
            for (Map.Entry<String, JsonNode> e : GoldenCase.fields(c.json().path("tensors"))) {
                String name = e.getKey();
                if (e.getValue().path("role").asText().equals("input")) continue;
                if (name.equals("tokens")) {
                    checkTokens(c, model, report);
                    continue;
                }
                if (name.startsWith("text") && textFeatures == null && inputTokens != null) {
                    textBlocks = model.textBlocks(inputTokens);
                    textFeatures = model.encodeText(inputTokens);
                }
                Matcher m = BLOCK.matcher(name);
                Tensor actual = null;
                if (name.equals("image_features") && visual != null) actual = visual.features();
                else if (name.equals("visual_ln_pre") && visual != null) actual = visual.lnPre();
                else if (name.equals("text_features")) actual = textFeatures;
                else if (m.matches()) {
                    List<Tensor> blocks = m.group(1).equals("visual") ? (visual == null ? null : visual.blocks()) : textBlocks;
                    int i = Integer.parseInt(m.group(2));
                    actual = blocks == null || i >= blocks.size() ? null : blocks.get(i);
                }
                compare(c, report, name, actual);
            }
        }
    }

    /** {@code clip.tokenize(prompts, context_length, truncate=True)} with the case's vocabulary. */
    private static void checkTokens(GoldenCase c, ClipModel model, VerifyReport report) {
        OpenAiClipTokenizer tok = OpenAiClipTokenizer.load(c.file(c.json().path("vocab").asText("bpe_simple_vocab_16e6.txt.gz")),
                model.config().contextLength());
        List<String> prompts = new ArrayList<>();
        for (JsonNode p : c.json().path("prompts")) prompts.add(p.path("text").asText());
        long[][] ids = tok.tokenize(prompts);
        long[] flat = new long[ids.length * tok.contextLength()];
        for (int i = 0; i < ids.length; i++) System.arraycopy(ids[i], 0, flat, i * tok.contextLength(), tok.contextLength());
        report.exact("tokens", flat, c.tensor("tokens").toLongs());
    }

    static void compare(GoldenCase c, VerifyReport report, String name, Tensor actual) {
        if (actual == null) {
            report.cannotRun(name, "the runner produces no output '" + name + "'");
            return;
        }
        Tensor expected = c.tensor(name);
        if (!expected.dtype().isFloating()) {
            report.exact(name, actual.toLongs(), expected.toLongs());
            return;
        }
        OptionalDouble atol = c.atol(name);
        if (atol.isEmpty()) report.cannotRun(name, "case.json gives no tolerance");
        else report.compare(name, actual, expected, atol.getAsDouble());
    }

    static long[][] rows(Tensor t) {
        long[] flat = t.toLongs();
        int b = t.dim(0), l = t.dim(1);
        long[][] out = new long[b][l];
        for (int i = 0; i < b; i++) System.arraycopy(flat, i * l, out[i], 0, l);
        return out;
    }
}
