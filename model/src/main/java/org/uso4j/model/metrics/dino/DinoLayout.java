package org.uso4j.model.metrics.dino;

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

/** The checkpoint layouts the DINO ViT loads from, translated to the canonical DINO state-dict names. */
public enum DinoLayout {
    /** {@code dino_deitsmall16_pretrain.pth} (hubconf {@code dino_vits16}): the canonical names themselves. */
    DINO,
    /**
     * transformers {@code ViTModel} ({@code facebook/dino-vits16}, optionally under {@code vit.}): query/key/value
     * packed into qkv. The pooler is not part of DINO's output and is left unused on purpose.
     */
    HUGGING_FACE;

    private static final Pattern HF_LAYER = Pattern.compile("encoder\\.layer\\.(\\d+)\\.(.+)");
    private static final Map<String, String> HF_RENAMES = Map.of(
            "embeddings.cls_token", "cls_token",
            "embeddings.position_embeddings", "pos_embed",
            "embeddings.patch_embeddings.projection.weight", "patch_embed.proj.weight",
            "embeddings.patch_embeddings.projection.bias", "patch_embed.proj.bias",
            "layernorm.weight", "norm.weight",
            "layernorm.bias", "norm.bias");
    private static final Map<String, String> HF_LAYER_RENAMES = Map.ofEntries(
            Map.entry("layernorm_before.weight", "norm1.weight"), Map.entry("layernorm_before.bias", "norm1.bias"),
            Map.entry("attention.output.dense.weight", "attn.proj.weight"), Map.entry("attention.output.dense.bias", "attn.proj.bias"),
            Map.entry("layernorm_after.weight", "norm2.weight"), Map.entry("layernorm_after.bias", "norm2.bias"),
            Map.entry("intermediate.dense.weight", "mlp.fc1.weight"), Map.entry("intermediate.dense.bias", "mlp.fc1.bias"),
            Map.entry("output.dense.weight", "mlp.fc2.weight"), Map.entry("output.dense.bias", "mlp.fc2.bias"));
    private static final List<String> HF_QKV = List.of("query", "key", "value");

    public static DinoLayout detect(Checkpoint ckpt) {
        if (ckpt.contains("patch_embed.proj.weight")) return DINO;
        if (ckpt.contains("embeddings.patch_embeddings.projection.weight") || ckpt.contains("vit.embeddings.patch_embeddings.projection.weight")) {
            return HUGGING_FACE;
        }
        throw new CheckpointException(ckpt.source() + ": not a DINO ViT checkpoint (neither 'patch_embed.proj.weight' nor the"
                + " Hugging Face 'embeddings.patch_embeddings.projection.weight' is present)");
    }

    /** The tensors of {@code ckpt} under canonical names; unknown tensors keep their names (and fail strict loading). */
    public WeightStore canonical(Checkpoint ckpt) {
        WeightStore store = new WeightStore();
        Map<String, List<String>> packed = new TreeMap<>();
        for (TensorEntry e : ckpt.entries()) {
            String src = e.name();
            if (this == DINO) {
                put(store, ckpt, src, src);
                continue;
            }
            String k = src.startsWith("vit.") ? src.substring(4) : src;
            if (k.startsWith("pooler.")) {
                put(store, ckpt, src, src);
                store.skip(src); // ViTModel's pooler: not part of DINO's CLS output
                continue;
            }
            Matcher m = HF_LAYER.matcher(k);
            if (HF_RENAMES.containsKey(k)) {
                put(store, ckpt, src, HF_RENAMES.get(k));
            } else if (m.matches() && HF_LAYER_RENAMES.containsKey(m.group(2))) {
                put(store, ckpt, src, "blocks." + m.group(1) + "." + HF_LAYER_RENAMES.get(m.group(2)));
            } else if (m.matches() && m.group(2).matches("attention\\.attention\\.(query|key|value)\\.(weight|bias)")) {
                String kind = m.group(2).substring(m.group(2).lastIndexOf('.') + 1);
                packed.computeIfAbsent("blocks." + m.group(1) + ".attn.qkv." + kind, x -> new ArrayList<>()).add(src);
            } else {
                put(store, ckpt, src, src);
            }
        }
        packed.forEach((key, sources) -> {
            List<String> ordered = new ArrayList<>();
            for (String part : HF_QKV) {
                ordered.add(sources.stream().filter(s -> s.contains(".attention." + part + ".")).findFirst().orElseThrow(() ->
                        new CheckpointException(ckpt.source() + ": '" + key + "' needs query, key and value, found only " + sources)));
            }
            int[] d = ckpt.entry(ordered.get(0)).shape().dims();
            d[0] *= 3;
            store.put(key, ckpt.source() + " " + ordered + " packed", DType.F32, Shape.of(d),
                    () -> Repack.concatRows(ordered.stream().map(ckpt::tensor).toList()));
        });
        return store;
    }

    private static void put(WeightStore store, Checkpoint ckpt, String src, String key) {
        TensorEntry e = ckpt.entry(src);
        store.put(key, ckpt.source() + " ['" + src + "']", e.dtype(), e.shape(), () -> ckpt.tensor(src));
    }
}
