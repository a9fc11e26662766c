package org.uso4j.model.t5;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.uso4j.core.io.CheckpointException;
import org.uso4j.core.io.GgufFile;
import org.uso4j.core.io.TensorEntry;
import org.uso4j.core.io.WeightStore;
import org.uso4j.model.tokenizers.T5Tokenizer;
import org.uso4j.model.tokenizers.T5TokenizerConfig;

/**
 * llama.cpp's {@code t5encoder} GGUF layout (city96/t5-v1_1-xxl-encoder-gguf): the name table to transformers'
 * {@code T5EncoderModel} keys, the hyper-parameters from the {@code t5encoder.*} key/values, and the tokenizer
 * from {@code tokenizer.ggml.*}.
 */
public final class T5GgufLayout {
    private static final Pattern BLOCK = Pattern.compile("enc\\.blk\\.(\\d+)\\.(\\w+)\\.weight");
    private static final String ARCH = "t5encoder";

    private T5GgufLayout() {}

    public static boolean isT5Gguf(GgufFile f) {
        return f.hasKv("general.architecture") && ARCH.equals(f.kvString("general.architecture"));
    }

    /** The tensors under transformers names; every GGUF tensor must translate. */
    public static WeightStore toStore(GgufFile f) {
        boolean gated = f.names().stream().anyMatch(n -> n.endsWith(".ffn_gate.weight"));
        WeightStore store = new WeightStore();
        for (TensorEntry e : f.entries()) {
            String hf = hfName(e.name(), gated);
            if (hf == null) throw new CheckpointException(f.source() + ": tensor '" + e.name() + "' is not part of a t5encoder GGUF");
            store.put(hf, f.source() + " ['" + e.name() + "']", e.dtype(), e.shape(), () -> f.tensor(e.name()));
        }
        return store;
    }

    static String hfName(String gguf, boolean gated) {
        switch (gguf) {
            case "token_embd.weight": return "shared.weight";
            case "enc.output_norm.weight": return "encoder.final_layer_norm.weight";
            default: break;
        }
        Matcher m = BLOCK.matcher(gguf);
        if (!m.matches()) return null;
        String b = "encoder.block." + m.group(1) + ".layer.";
        return switch (m.group(2)) {
            case "attn_q" -> b + "0.SelfAttention.q.weight";
            case "attn_k" -> b + "0.SelfAttention.k.weight";
            case "attn_v" -> b + "0.SelfAttention.v.weight";
            case "attn_o" -> b + "0.SelfAttention.o.weight";
            case "attn_rel_b" -> b + "0.SelfAttention.relative_attention_bias.weight";
            case "attn_norm" -> b + "0.layer_norm.weight";
            case "ffn_gate" -> b + "1.DenseReluDense.wi_0.weight";
            case "ffn_up" -> b + "1.DenseReluDense." + (gated ? "wi_1" : "wi") + ".weight";
            case "ffn_down" -> b + "1.DenseReluDense.wo.weight";
            case "ffn_norm" -> b + "1.layer_norm.weight";
            default -> null;
        };
    }

    /** Hyper-parameters from {@code t5encoder.*}; relative_attention_max_distance is not stored (T5's 128). */
    public static T5Config config(GgufFile f) {
        if (!isT5Gguf(f)) throw new CheckpointException(f.source() + ": general.architecture is not 't5encoder'");
        String a = ARCH + ".attention.";
        boolean gated = f.names().stream().anyMatch(n -> n.endsWith(".ffn_gate.weight"));
        float eps = (float) (f.hasKv(a + "layer_norm_rms_epsilon") ? f.kvDouble(a + "layer_norm_rms_epsilon") : f.kvDouble(a + "layer_norm_epsilon"));
        return new T5Config(f.entry("token_embd.weight").shape().dim(0), (int) f.kvLong(ARCH + ".embedding_length"),
                (int) f.kvLong(a + "key_length"), (int) f.kvLong(ARCH + ".feed_forward_length"), (int) f.kvLong(ARCH + ".block_count"),
                (int) f.kvLong(a + "head_count"), (int) f.kvLong(a + "relative_buckets_count"), 128, eps,
                gated ? "gelu_new" : "relu", gated);
    }

    /** The SentencePiece tokenizer stored in the file (USO's T5Tokenizer settings: legacy, eos, pad to 512). */
    public static T5Tokenizer tokenizer(GgufFile f) {
        String t = "tokenizer.ggml.";
        float[] scores = f.kvFloats(t + "scores");
        long[] types = f.kvLongs(t + "token_type");
        int[] typeInts = new int[types.length];
        for (int i = 0; i < types.length; i++) typeInts[i] = (int) types[i];
        return T5Tokenizer.fromGgufVocab(f.kvStrings(t + "tokens").toArray(String[]::new), scores, typeInts,
                f.hasKv(t + "precompiled_charsmap") ? f.kvBytes(t + "precompiled_charsmap") : null,
                !f.hasKv(t + "add_space_prefix") || f.kvBool(t + "add_space_prefix"),
                !f.hasKv(t + "remove_extra_whitespaces") || f.kvBool(t + "remove_extra_whitespaces"), T5TokenizerConfig.uso(), f.source());
    }
}
