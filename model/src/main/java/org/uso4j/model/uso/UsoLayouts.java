package org.uso4j.model.uso;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.CheckpointException;
import org.uso4j.core.io.TensorEntry;
import org.uso4j.core.io.WeightStore;

/**
 * Name tables for the USO LoRA and projector files as users have them: the official bytedance names (also what
 * Comfy-Org's USO repack ships), ComfyUI's internal LoRA names after {@code convert_uso_lora}, and projector keys
 * with the {@code feature_embedder.} prefix stripped (ComfyUI's model-patch loader).
 */
public final class UsoLayouts {
    private UsoLayouts() {}

    /** ComfyUI internal LoRA names: target module → USO processor module, per block kind. */
    private static final Pattern COMFY_LORA = Pattern.compile(
            "diffusion_model\\.(double_blocks|single_blocks)\\.(\\d+)\\.(img_attn\\.qkv|img_attn\\.proj|txt_attn\\.qkv|txt_attn\\.proj|linear1_qkv|linear2)\\.lora_(down|up)\\.weight");
    private static final Map<String, String> COMFY_TO_PROCESSOR = Map.of(
            "img_attn.qkv", "qkv_lora1", "img_attn.proj", "proj_lora1", "txt_attn.qkv", "qkv_lora2", "txt_attn.proj", "proj_lora2",
            "linear1_qkv", "qkv_lora", "linear2", "proj_lora");
    private static final Pattern OFFICIAL_LORA = Pattern.compile(
            "(double_blocks\\.\\d+\\.processor\\.(qkv_lora1|proj_lora1|qkv_lora2|proj_lora2)|single_blocks\\.\\d+\\.processor\\.(qkv_lora|proj_lora))\\.(down|up)\\.weight");

    /** "USO LoRA", "ComfyUI USO LoRA", "USO projector", "USO projector (prefix stripped)" or null. */
    public static String recognise(Checkpoint c) {
        if (c.names().stream().anyMatch(k -> OFFICIAL_LORA.matcher(k).matches())) return "USO LoRA";
        if (c.names().stream().anyMatch(k -> COMFY_LORA.matcher(k).matches())) return "ComfyUI USO LoRA (internal names)";
        if (c.contains("feature_embedder.mid_layer_norm.bias") || c.contains("feature_embedder.mid_projection.weight")) return "USO projector";
        if (c.contains("mid_projection.weight") && c.contains("high_embedding_linear.0.weight")) return "USO projector (ComfyUI, prefix stripped)";
        return null;
    }

    /** The LoRA tensors under the official processor names; every key of {@code c} must translate. */
    public static WeightStore loraStore(Checkpoint c) {
        WeightStore store = new WeightStore();
        for (TensorEntry e : c.entries()) {
            String key = e.name();
            String canonical;
            Matcher m;
            if (OFFICIAL_LORA.matcher(key).matches()) {
                canonical = key;
            } else if ((m = COMFY_LORA.matcher(key)).matches()) {
                canonical = m.group(1) + "." + m.group(2) + ".processor." + COMFY_TO_PROCESSOR.get(m.group(3)) + "." + m.group(4) + ".weight";
            } else {
                throw new CheckpointException(c.source() + ": unexpected tensor '" + key + "' in a USO LoRA file (expected "
                        + "double_blocks.N.processor.{qkv,proj}_lora{1,2}.{down,up}.weight or single_blocks.N.processor.{qkv,proj}_lora.*)");
            }
            store.put(canonical, c.source() + " ['" + key + "']", e.dtype(), e.shape(), () -> c.tensor(key));
        }
        return store;
    }

    /** The projector tensors under {@code feature_embedder.*}; accepts the prefix-stripped ComfyUI form. */
    public static WeightStore projectorStore(Checkpoint c) {
        WeightStore store = new WeightStore();
        for (TensorEntry e : c.entries()) {
            String key = e.name();
            String canonical = key.startsWith("feature_embedder.") ? key : "feature_embedder." + key;
            store.put(canonical, c.source() + " ['" + key + "']", e.dtype(), e.shape(), () -> c.tensor(key));
        }
        return store;
    }
}
