package org.uso4j.model.clip;

import static org.uso4j.model.nn.HfConfigFields.integer;
import static org.uso4j.model.nn.HfConfigFields.number;
import static org.uso4j.model.nn.HfConfigFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.io.CheckpointException;
import org.uso4j.model.nn.HfConfigFields;

/**
 * Hyper-parameters of the CLIP text transformer: transformers {@code CLIPTextConfig} (4.43). Absent config.json
 * fields take the class defaults ({@link #defaults()}); the nested {@code CLIPConfig} layout of the real repos
 * ({@code "model_type": "clip"}, parameters under {@code "text_config"}) is read like transformers does.
 * The token ids matter only for pooling ({@link #pooling()}).
 */
public record ClipTextConfig(int vocabSize, int hiddenSize, int intermediateSize, int numHiddenLayers,
        int numAttentionHeads, int maxPositionEmbeddings, String hiddenAct, float layerNormEps, int padTokenId,
        int bosTokenId, int eosTokenId) {

    public ClipTextConfig {
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        positive("num_hidden_layers", numHiddenLayers);
        positive("num_attention_heads", numAttentionHeads);
        positive("max_position_embeddings", maxPositionEmbeddings);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("CLIP hidden_size " + hiddenSize + " is not divisible by num_attention_heads " + numAttentionHeads);
        }
        if (!(layerNormEps > 0)) throw new IllegalArgumentException("CLIP layer_norm_eps must be > 0, got " + layerNormEps);
        activationOf(hiddenAct);
    }

    /** transformers {@code CLIPTextConfig()} class defaults. */
    public static ClipTextConfig defaults() {
        return new ClipTextConfig(49408, 512, 2048, 12, 8, 77, "quick_gelu", 1e-5f, 1, 49406, 49407);
    }

    /**
     * {@code openai/clip-vit-large-patch14} text_config (FLUX's and USO's CLIP-L): hidden 768, 12 heads,
     * intermediate 3072, 12 layers, 77 positions, and the stale token ids of its config.json (bos 0, pad 1,
     * <b>eos 2</b>), which select the legacy argmax pooling.
     */
    public static ClipTextConfig vitL14() {
        return new ClipTextConfig(49408, 768, 3072, 12, 12, 77, "quick_gelu", 1e-5f, 1, 0, 2);
    }

    public int headDim() { return hiddenSize / numAttentionHeads; }

    public Activation activation() { return activationOf(hiddenAct); }

    /** transformers' pooling rule: {@code eos_token_id == 2} (legacy configs, CLIP-L) pools at the largest id. */
    public ClipPooling pooling() {
        return eosTokenId == 2 ? ClipPooling.ARGMAX_ID : ClipPooling.FIRST_EOS;
    }

    public static ClipTextConfig read(Path configJson) {
        return fromJson(HfConfigFields.read(configJson), configJson.toString());
    }

    /** Resolves a parsed config.json (flat {@code clip_text_model} or nested {@code clip}); {@code source} names it in errors. */
    public static ClipTextConfig fromJson(JsonNode root, String source) {
        String modelType = HfConfigFields.modelType(root, source);
        JsonNode c = switch (modelType) {
            case "clip" -> HfConfigFields.subConfig(root, "text_config", source);
            case "clip_text_model", "" -> root;
            default -> throw new CheckpointException(source + ": model_type '" + modelType
                    + "' is not a CLIP text config (expected 'clip' or 'clip_text_model')");
        };
        ClipTextConfig d = defaults();
        try {
            return new ClipTextConfig(
                    integer(c, "vocab_size", d.vocabSize, source),
                    integer(c, "hidden_size", d.hiddenSize, source),
                    integer(c, "intermediate_size", d.intermediateSize, source),
                    integer(c, "num_hidden_layers", d.numHiddenLayers, source),
                    integer(c, "num_attention_heads", d.numAttentionHeads, source),
                    integer(c, "max_position_embeddings", d.maxPositionEmbeddings, source),
                    text(c, "hidden_act", d.hiddenAct, source),
                    (float) number(c, "layer_norm_eps", d.layerNormEps, source),
                    integer(c, "pad_token_id", d.padTokenId, source),
                    integer(c, "bos_token_id", d.bosTokenId, source),
                    integer(c, "eos_token_id", d.eosTokenId, source));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(source + ": " + e.getMessage(), e);
        }
    }

    /** transformers {@code ACT2FN} names → the backend's activations. */
    static Activation activationOf(String name) {
        return switch (name) {
            case "quick_gelu" -> Activation.QUICK_GELU;
            case "gelu" -> Activation.GELU_ERF;
            case "gelu_new", "gelu_pytorch_tanh" -> Activation.GELU_TANH;
            case "relu" -> Activation.RELU;
            case "silu", "swish" -> Activation.SILU;
            default -> throw new IllegalArgumentException("unsupported CLIP hidden_act '" + name + "'");
        };
    }

    private static void positive(String field, int v) {
        if (v <= 0) throw new IllegalArgumentException("CLIP " + field + " must be > 0, got " + v);
    }
}
