package org.uso4j.model.metrics.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.CheckpointException;
import org.uso4j.core.io.Checkpoints;
import org.uso4j.core.io.WeightStore;
import org.uso4j.model.nn.HfConfigFields;
import org.uso4j.model.nn.HfFolder;
import org.uso4j.model.nn.Weights;

/**
 * OpenAI CLIP (clip/model.py {@code CLIP} @ d05afc43) for the CLIP-I and CLIP-T metrics: {@link #encodeImage}
 * and {@link #encodeText}, both projected to the joint embedding (not normalised). Loads the OpenAI state dict
 * or the Hugging Face {@code CLIPModel} layout ({@link ClipLayout}); the config is inferred from the shapes like
 * {@code build_model}, head counts from a config.json beside the weights when there is one.
 */
public final class ClipModel implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ClipModel.class.getName());

    private final ClipConfig config;
    private final Backend backend;
    private final VisionTransformer visual;
    private final ClipTextTransformer text;
    private final String summary;
    private final Checkpoint owned;

    private ClipModel(ClipConfig config, Backend backend, VisionTransformer visual, ClipTextTransformer text, String summary, Checkpoint owned) {
        this.config = config;
        this.backend = backend;
        this.visual = visual;
        this.text = text;
        this.summary = summary;
        this.owned = owned;
    }

    /** Loads a weight file or a folder holding one (plus an optional config.json). */
    public static ClipModel load(Path dirOrFile, Backend backend) {
        return Checkpoints.openFor(dirOrFile, ckpt -> {
            ClipLayout layout = ClipLayout.detect(ckpt);
            WeightStore store = layout.canonical(ckpt);
            ClipConfig config = configFor(store, HfFolder.configJson(dirOrFile));
            return build(store, config, backend, layout + " " + ckpt.source(), ckpt);
        });
    }

    /** Builds from canonical (OpenAI-named) tensors with an explicit config; the caller owns the store's files. */
    public static ClipModel load(WeightStore store, ClipConfig config, Backend backend) {
        return build(store, config, backend, "given weights", null);
    }

    private static ClipModel build(WeightStore store, ClipConfig c, Backend backend, String from, Checkpoint owned) {
        store.adoptWith(backend::adopt);
        Weights w = new Weights(store);
        VisionTransformer visual = VisionTransformer.load(w.at("visual"), c.vision());
        ClipTextTransformer text = ClipTextTransformer.load(w, c);
        w.take("logit_scale"); // 0-d, as in the real checkpoint; not used by the metrics
        store.requireAllUsed("OpenAI CLIP");
        VisionTransformerConfig v = c.vision();
        String summary = store.summary("OpenAI CLIP (" + from + ": vision " + v.width() + "x" + v.layers() + "x" + v.heads()
                + " patch " + v.patchSize() + " @" + v.inputResolution() + ", text " + c.transformerWidth() + "x" + c.transformerLayers()
                + "x" + c.transformerHeads() + ", embed " + c.embedDim() + ")");
        LOG.log(System.Logger.Level.DEBUG, summary);  // callers report it with the load time
        return new ClipModel(c, backend, visual, text, summary, owned);
    }

    /** The config of {@code store}: shapes, plus heads and eps from {@code configJson} (golden or Hugging Face form) if present. */
    static ClipConfig configFor(WeightStore store, Path configJson) {
        OptionalInt visionHeads = OptionalInt.empty(), textHeads = OptionalInt.empty();
        float eps = 1e-5f;
        if (configJson != null) {
            JsonNode root = readJson(configJson);
            JsonNode vision = root.has("vision_config") ? root.get("vision_config") : root;
            JsonNode textConfig = root.has("text_config") ? root.get("text_config") : root;
            visionHeads = HfConfigFields.positiveInteger(vision, List.of("vision_heads", "num_attention_heads"), configJson);
            textHeads = HfConfigFields.positiveInteger(textConfig, List.of("transformer_heads", "num_attention_heads"), configJson);
            if (root.path("layer_norm_eps").isNumber()) eps = (float) root.get("layer_norm_eps").asDouble();
        }
        try {
            return ClipConfig.fromWeights(store, visionHeads, textHeads, eps);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException((configJson == null ? "CLIP weights" : configJson.toString()) + ": " + e.getMessage(), e);
        }
    }

    static JsonNode readJson(Path file) {
        try {
            JsonNode n = new ObjectMapper().readTree(file.toFile());
            if (n == null || !n.isObject()) throw new CheckpointException(file + ": not a JSON object");
            return n;
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    public ClipConfig config() { return config; }

    public String summary() { return summary; }

    /** {@code encode_image}: pixels [B, 3, R, R] → [B, embed_dim] (with the intermediates). */
    public VisionTransformerOutput visual(Tensor image) { return visual.forward(backend, image); }

    /** {@code encode_image}: pixels [B, 3, R, R] → image features [B, embed_dim]. */
    public Tensor encodeImage(Tensor image) { return visual(image).features(); }

    /** {@code encode_text}: tokens [B][context_length] (as {@code clip.tokenize}) → text features [B, embed_dim]. */
    public Tensor encodeText(long[][] tokens) { return text.forward(backend, tokens).features(); }

    /** {@code encode_text} with each resblock's output [B, context, W]. */
    public List<Tensor> textBlocks(long[][] tokens) { return text.forward(backend, tokens).blocks(); }

    @Override public void close() {
        if (owned != null) owned.close();
    }
}
