package org.uso4j.model.metrics.clip;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.uso4j.core.DType;
import org.uso4j.core.Shape;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.CheckpointException;
import org.uso4j.core.io.TensorEntry;
import org.uso4j.core.io.WeightStore;
import org.uso4j.model.metrics.Repack;

/**
 * The checkpoint layouts OpenAI CLIP loads from, translated to the canonical OpenAI state-dict names
 * ({@code visual.conv1.weight}, {@code transformer.resblocks.N.attn.in_proj_weight}, ...), one table per layout.
 */
public enum ClipLayout {
    /** {@code ViT-B-32.pt}'s state dict (also as safetensors): the canonical names themselves. */
    OPENAI,
    /**
     * transformers {@code CLIPModel} ({@code openai/clip-vit-base-patch32}): q/k/v projections packed into
     * in_proj, the [out, in] projection Linears transposed to matmul operands.
     */
    HUGGING_FACE;

    /** Integer buffers of OpenAI's full state dict that {@code build_model} deletes before loading. */
    private static final List<String> OPENAI_BUFFERS = List.of("input_resolution", "context_length", "vocab_size");
    private static final Pattern HF_LAYER = Pattern.compile("(vision|text)_model\\.encoder\\.layers\\.(\\d+)\\.(.+)");
    private static final Map<String, String> HF_RENAMES = Map.ofEntries(
            Map.entry("vision_model.embeddings.class_embedding", "visual.class_embedding"),
            Map.entry("vision_model.embeddings.patch_embedding.weight", "visual.conv1.weight"),
            Map.entry("vision_model.embeddings.position_embedding.weight", "visual.positional_embedding"),
            Map.entry("vision_model.pre_layrnorm.weight", "visual.ln_pre.weight"),
            Map.entry("vision_model.pre_layrnorm.bias", "visual.ln_pre.bias"),
            Map.entry("vision_model.post_layernorm.weight", "visual.ln_post.weight"),
            Map.entry("vision_model.post_layernorm.bias", "visual.ln_post.bias"),
            Map.entry("text_model.embeddings.token_embedding.weight", "token_embedding.weight"),
            Map.entry("text_model.embeddings.position_embedding.weight", "positional_embedding"),
            Map.entry("text_model.final_layer_norm.weight", "ln_final.weight"),
            Map.entry("text_model.final_layer_norm.bias", "ln_final.bias"),
            Map.entry("logit_scale", "logit_scale"));
    private static final Map<String, String> HF_TRANSPOSED = Map.of(
            "visual_projection.weight", "visual.proj",
            "text_projection.weight", "text_projection");
    /** Per-layer renames (after {@code ..._model.encoder.layers.N.}). */
    private static final Map<String, String> HF_LAYER_RENAMES = Map.ofEntries(
            Map.entry("self_attn.out_proj.weight", "attn.out_proj.weight"),
            Map.entry("self_attn.out_proj.bias", "attn.out_proj.bias"),
            Map.entry("layer_norm1.weight", "ln_1.weight"), Map.entry("layer_norm1.bias", "ln_1.bias"),
            Map.entry("layer_norm2.weight", "ln_2.weight"), Map.entry("layer_norm2.bias", "ln_2.bias"),
            Map.entry("mlp.fc1.weight", "mlp.c_fc.weight"), Map.entry("mlp.fc1.bias", "mlp.c_fc.bias"),
            Map.entry("mlp.fc2.weight", "mlp.c_proj.weight"), Map.entry("mlp.fc2.bias", "mlp.c_proj.bias"));

    public static ClipLayout detect(Checkpoint ckpt) {
        if (ckpt.contains("visual.conv1.weight")) return OPENAI;
        if (ckpt.contains("vision_model.embeddings.patch_embedding.weight")) return HUGGING_FACE;
        throw new CheckpointException(ckpt.source() + ": not an OpenAI CLIP checkpoint (neither 'visual.conv1.weight' nor"
                + " the Hugging Face 'vision_model.embeddings.patch_embedding.weight' is present)");
    }

    /** The tensors of {@code ckpt} under canonical names; tensors this table does not know keep their names (and fail strict loading). */
    public WeightStore canonical(Checkpoint ckpt) {
        WeightStore store = new WeightStore();
        if (this == OPENAI) {
            for (TensorEntry e : ckpt.entries()) {
                if (!OPENAI_BUFFERS.contains(e.name())) put(store, ckpt, e, e.name());
            }
            return store;
        }
        Map<String, List<String>> packed = new TreeMap<>(); // canonical in_proj key → its [q, k, v] source keys
        for (TensorEntry e : ckpt.entries()) {
            String k = e.name();
            if (k.endsWith("embeddings.position_ids")) continue; // int64 arange buffer, recomputed by nobody
            if (HF_RENAMES.containsKey(k)) {
                put(store, ckpt, e, HF_RENAMES.get(k));
            } else if (HF_TRANSPOSED.containsKey(k)) {
                int[] d = e.shape().dims();
                if (d.length != 2) throw new CheckpointException(ckpt.source() + ": '" + k + "' must be 2-D, found " + e.shape());
                store.put(HF_TRANSPOSED.get(k), origin(ckpt, k) + " transposed", DType.F32, Shape.of(d[1], d[0]),
                        () -> Repack.transpose(ckpt.tensor(k)));
            } else {
                Matcher m = HF_LAYER.matcher(k);
                String rest = m.matches() ? m.group(3) : null;
                String base = m.matches() ? (m.group(1).equals("vision") ? "visual." : "") + "transformer.resblocks." + m.group(2) + "." : null;
                if (rest != null && HF_LAYER_RENAMES.containsKey(rest)) {
                    put(store, ckpt, e, base + HF_LAYER_RENAMES.get(rest));
                } else if (rest != null && rest.matches("self_attn\\.[qkv]_proj\\.(weight|bias)")) {
                    String kind = rest.substring(rest.lastIndexOf('.') + 1);
                    packed.computeIfAbsent(base + "attn.in_proj_" + kind, x -> new ArrayList<>()).add(k);
                } else {
                    put(store, ckpt, e, k); // unknown: left under its own name, reported by requireAllUsed
                }
            }
        }
        packed.forEach((key, sources) -> putPacked(store, ckpt, key, sources));
        return store;
    }

    /** q, k, v (in that order) stacked row-wise into one canonical tensor. */
    static void putPacked(WeightStore store, Checkpoint ckpt, String key, List<String> sources) {
        List<String> ordered = new ArrayList<>();
        for (String part : List.of("q", "k", "v")) {
            String src = sources.stream().filter(s -> s.contains("." + part + "_proj.")).findFirst().orElseThrow(() ->
                    new CheckpointException(ckpt.source() + ": '" + key + "' needs q, k and v projections, found only " + sources));
            ordered.add(src);
        }
        int[] d = ckpt.entry(ordered.get(0)).shape().dims();
        d[0] *= 3;
        store.put(key, ckpt.source() + " " + ordered + " packed", DType.F32, Shape.of(d),
                () -> Repack.concatRows(ordered.stream().map(ckpt::tensor).toList()));
    }

    private static void put(WeightStore store, Checkpoint ckpt, TensorEntry e, String key) {
        store.put(key, origin(ckpt, e.name()), e.dtype(), e.shape(), () -> ckpt.tensor(e.name()));
    }

    private static String origin(Checkpoint ckpt, String key) { return ckpt.source() + " ['" + key + "']"; }
}
