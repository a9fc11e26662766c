package org.uso4j.model.t5;

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
 * Hyper-parameters of a T5 encoder: transformers {@code T5Config} (4.43), absent config.json fields taking the
 * class defaults ({@link #defaults()}). {@code feed_forward_proj = "[gated-]ACT"} gives {@code dense_act_fn} and
 * {@code is_gated_act} ("gated-gelu" means {@code gelu_new}); explicit {@code dense_act_fn} / {@code is_gated_act}
 * in config.json (written by newer transformers) take precedence, as in transformers.
 *
 * @param dKv size of one attention head; {@code numHeads · dKv} (inner) need not equal {@code dModel}
 */
public record T5Config(int vocabSize, int dModel, int dKv, int dFf, int numLayers, int numHeads,
        int relativeAttentionNumBuckets, int relativeAttentionMaxDistance, float layerNormEpsilon,
        String denseActFn, boolean isGatedAct) {

    public T5Config {
        positive("vocab_size", vocabSize);
        positive("d_model", dModel);
        positive("d_kv", dKv);
        positive("d_ff", dFf);
        positive("num_layers", numLayers);
        positive("num_heads", numHeads);
        positive("relative_attention_num_buckets", relativeAttentionNumBuckets);
        positive("relative_attention_max_distance", relativeAttentionMaxDistance);
        if (!(layerNormEpsilon > 0)) throw new IllegalArgumentException("T5 layer_norm_epsilon must be > 0, got " + layerNormEpsilon);
        activationOf(denseActFn);
    }

    /** transformers {@code T5Config()} class defaults (t5-small geometry, ReLU feed-forward). */
    public static T5Config defaults() {
        return new T5Config(32128, 512, 64, 2048, 6, 8, 32, 128, 1e-6f, "relu", false);
    }

    /**
     * T5 v1.1 XXL encoder ({@code google/t5-v1_1-xxl}, FLUX's and USO's {@code xlabs-ai/xflux_text_encoders}):
     * d_model 4096, d_kv 64, 64 heads, d_ff 10240, 24 layers, vocab 32128, 32 buckets / 128, gated-gelu.
     */
    public static T5Config xxl() {
        return new T5Config(32128, 4096, 64, 10240, 24, 64, 32, 128, 1e-6f, "gelu_new", true);
    }

    /** Width of the concatenated heads, {@code num_heads · d_kv}. */
    public int innerDim() { return numHeads * dKv; }

    public Activation activation() { return activationOf(denseActFn); }

    public static T5Config read(Path configJson) {
        return fromJson(HfConfigFields.read(configJson), configJson.toString());
    }

    /** Resolves a parsed config.json; {@code source} names it in errors. */
    public static T5Config fromJson(JsonNode c, String source) {
        String modelType = HfConfigFields.modelType(c, source);
        if (!modelType.equals("t5") && !modelType.isEmpty()) {
            throw new CheckpointException(source + ": model_type '" + modelType + "' is not a T5 config (expected 't5')");
        }
        T5Config d = defaults();
        // T5Config.__init__: act_info = feed_forward_proj.split("-")
        String proj = text(c, "feed_forward_proj", "relu", source);
        String[] actInfo = proj.split("-", -1);
        if ((actInfo.length > 1 && !actInfo[0].equals("gated")) || actInfo.length > 2) {
            throw new CheckpointException(source + ": 'feed_forward_proj' '" + proj + "' is not of the form [gated-]ACT");
        }
        String act = proj.equals("gated-gelu") ? "gelu_new" : actInfo[actInfo.length - 1];
        boolean gated = actInfo[0].equals("gated");
        try {
            return new T5Config(
                    integer(c, "vocab_size", d.vocabSize, source),
                    integer(c, "d_model", d.dModel, source),
                    integer(c, "d_kv", d.dKv, source),
                    integer(c, "d_ff", d.dFf, source),
                    integer(c, "num_layers", d.numLayers, source),
                    integer(c, "num_heads", d.numHeads, source),
                    integer(c, "relative_attention_num_buckets", d.relativeAttentionNumBuckets, source),
                    integer(c, "relative_attention_max_distance", d.relativeAttentionMaxDistance, source),
                    (float) number(c, "layer_norm_epsilon", d.layerNormEpsilon, source),
                    text(c, "dense_act_fn", act, source),
                    bool(c, "is_gated_act", gated, source));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(source + ": " + e.getMessage(), e);
        }
    }

    /** transformers {@code ACT2FN} names → the backend's activations. */
    static Activation activationOf(String name) {
        return switch (name) {
            case "gelu_new", "gelu_pytorch_tanh" -> Activation.GELU_TANH;
            case "gelu" -> Activation.GELU_ERF;
            case "relu" -> Activation.RELU;
            case "silu", "swish" -> Activation.SILU;
            case "quick_gelu" -> Activation.QUICK_GELU;
            default -> throw new IllegalArgumentException("unsupported T5 dense_act_fn '" + name + "'");
        };
    }

    private static void positive(String field, int v) {
        if (v <= 0) throw new IllegalArgumentException("T5 " + field + " must be > 0, got " + v);
    }
}
