package org.uso4j.model.siglip;

import static org.uso4j.model.nn.HfConfigFields.bool;
import static org.uso4j.model.nn.HfConfigFields.integer;
import static org.uso4j.model.nn.HfConfigFields.number;
import static org.uso4j.model.nn.HfConfigFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.io.CheckpointException;
import org.uso4j.model.nn.HfConfigFields;

/**
 * Hyper-parameters of the SigLIP vision tower: transformers {@code SiglipVisionConfig} (4.43). Absent config.json
 * fields take the class defaults ({@link #defaults()}); the nested {@code SiglipConfig} layout of the real repos
 * ({@code "model_type": "siglip"}, parameters under {@code "vision_config"}) is read like transformers does.
 *
 * @param visionUseHead whether the checkpoint has the attention-pooling head ({@code vision_model.head.*}); later
 *                      transformers versions read it from config.json, 4.43 always has the head
 */
public record SiglipVisionConfig(int hiddenSize, int intermediateSize, int numHiddenLayers, int numAttentionHeads,
        int numChannels, int imageSize, int patchSize, String hiddenAct, float layerNormEps, boolean visionUseHead) {

    public SiglipVisionConfig {
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        positive("num_hidden_layers", numHiddenLayers);
        positive("num_attention_heads", numAttentionHeads);
        positive("num_channels", numChannels);
        positive("patch_size", patchSize);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("SigLIP hidden_size " + hiddenSize + " is not divisible by num_attention_heads " + numAttentionHeads);
        }
        if (imageSize < patchSize) throw new IllegalArgumentException("SigLIP image_size " + imageSize + " is smaller than patch_size " + patchSize);
        if (!(layerNormEps > 0)) throw new IllegalArgumentException("SigLIP layer_norm_eps must be > 0, got " + layerNormEps);
        activationOf(hiddenAct);
    }

    /** transformers {@code SiglipVisionConfig()} class defaults. */
    public static SiglipVisionConfig defaults() {
        return new SiglipVisionConfig(768, 3072, 12, 12, 3, 224, 16, "gelu_pytorch_tanh", 1e-6f, true);
    }

    /**
     * {@code google/siglip-so400m-patch14-384} vision_config (the tower USO uses): hidden 1152, intermediate 4304,
     * 27 layers, 16 heads (head dim 72), patch 14, image 384 (27 x 27 = 729 patches); hidden_act and eps default.
     */
    public static SiglipVisionConfig so400m() {
        return new SiglipVisionConfig(1152, 4304, 27, 16, 3, 384, 14, "gelu_pytorch_tanh", 1e-6f, true);
    }

    /** The same tower without the pooling head (checkpoints that leave out {@code vision_model.head.*}). */
    public SiglipVisionConfig withoutHead() {
        return new SiglipVisionConfig(hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads, numChannels,
                imageSize, patchSize, hiddenAct, layerNormEps, false);
    }

    public int headDim() { return hiddenSize / numAttentionHeads; }

    /** Patches per side, {@code image_size // patch_size}: the pixels beyond {@code grid · patch} are ignored. */
    public int gridSize() { return imageSize / patchSize; }

    /** Number of patch tokens N = grid². */
    public int numPatches() { return gridSize() * gridSize(); }

    public Activation activation() { return activationOf(hiddenAct); }

    /** Reads a config.json (flat {@code siglip_vision_model} or nested {@code siglip}). */
    public static SiglipVisionConfig read(Path configJson) {
        return fromJson(HfConfigFields.read(configJson), configJson.toString());
    }

    /** Resolves a parsed config.json; {@code source} names it in errors. */
    public static SiglipVisionConfig fromJson(JsonNode root, String source) {
        String modelType = HfConfigFields.modelType(root, source);
        JsonNode c = switch (modelType) {
            case "siglip" -> HfConfigFields.subConfig(root, "vision_config", source);
            case "siglip_vision_model", "" -> root;
            default -> throw new CheckpointException(source + ": model_type '" + modelType
                    + "' is not a SigLIP config (expected 'siglip' or 'siglip_vision_model')");
        };
        SiglipVisionConfig d = defaults();
        try {
            return new SiglipVisionConfig(
                    integer(c, "hidden_size", d.hiddenSize, source),
                    integer(c, "intermediate_size", d.intermediateSize, source),
                    integer(c, "num_hidden_layers", d.numHiddenLayers, source),
                    integer(c, "num_attention_heads", d.numAttentionHeads, source),
                    integer(c, "num_channels", d.numChannels, source),
                    integer(c, "image_size", d.imageSize, source),
                    integer(c, "patch_size", d.patchSize, source),
                    text(c, "hidden_act", d.hiddenAct, source),
                    (float) number(c, "layer_norm_eps", d.layerNormEps, source),
                    bool(c, "vision_use_head", true, source));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(source + ": " + e.getMessage(), e);
        }
    }

    /** transformers {@code ACT2FN} names → the backend's activations. */
    static Activation activationOf(String name) {
        return switch (name) {
            case "gelu_pytorch_tanh", "gelu_new" -> Activation.GELU_TANH;
            case "gelu" -> Activation.GELU_ERF;
            case "quick_gelu" -> Activation.QUICK_GELU;
            case "relu" -> Activation.RELU;
            case "silu", "swish" -> Activation.SILU;
            default -> throw new IllegalArgumentException("unsupported hidden_act '" + name + "'");
        };
    }

    private static void positive(String field, int v) {
        if (v <= 0) throw new IllegalArgumentException("SigLIP " + field + " must be > 0, got " + v);
    }
}
