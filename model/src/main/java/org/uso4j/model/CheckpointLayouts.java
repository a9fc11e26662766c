package org.uso4j.model;

import java.util.Optional;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.model.flux.FluxLayout;
import org.uso4j.model.uso.UsoLayouts;

/** Names the layout a checkpoint was recognised as (for {@code uso4j inspect}), or says why not. */
public final class CheckpointLayouts {
    private CheckpointLayouts() {}

    /** A human-readable layout name, or empty when nothing matched. */
    public static Optional<String> recognise(Checkpoint c) {
        String container = c.source().endsWith(".gguf") ? "GGUF " : "";
        String arch = c.metadata().getOrDefault("general.architecture", "");
        Optional<FluxLayout> flux = FluxLayout.detect(c);
        if (flux.isPresent()) {
            String kind = flux.get().description();
            if (flux.get() == FluxLayout.PREFIXED && !container.isEmpty()) kind = "BFL FLUX (stable-diffusion.cpp style)";
            if (!container.isEmpty() && !arch.isEmpty()) kind += ", architecture '" + arch + "'";
            return Optional.of(container + kind);
        }
        String uso = UsoLayouts.recognise(c);
        if (uso != null) return Optional.of(uso);
        if (c.contains("encoder.conv_in.weight") && c.contains("decoder.conv_out.weight")) return Optional.of("FLUX VAE (AutoEncoder)");
        if (c.contains("enc.blk.0.attn_q.weight") || arch.equals("t5encoder")) return Optional.of(container + "T5 encoder (llama.cpp t5encoder names)");
        if (c.contains("encoder.block.0.layer.0.SelfAttention.q.weight")) {
            return Optional.of(c.contains("decoder.block.0.layer.0.SelfAttention.q.weight")
                    ? "T5 (T5ForConditionalGeneration: encoder used, decoder skipped)" : "T5 encoder (T5EncoderModel)");
        }
        boolean clipText = c.contains("text_model.embeddings.token_embedding.weight");
        boolean visionTower = c.contains("vision_model.embeddings.patch_embedding.weight");
        if (visionTower && (c.contains("vision_model.head.probe") || c.contains("logit_bias"))) {
            return Optional.of(clipText ? "SigLIP (full model: vision tower used, text tower skipped)" : "SigLIP vision tower");
        }
        if (visionTower && c.contains("vision_model.post_layernorm.weight") && !clipText) return Optional.of("SigLIP vision tower");
        if (clipText) return Optional.of(visionTower ? "CLIP (full model: text encoder used, vision tower skipped)" : "CLIP text encoder");
        // USO-Bench metric models
        if (c.contains("module.last_layer_style") && c.contains("module.backbone.class_embedding")) return Optional.of("CSD (ViT + style/content heads, metric model)");
        if (c.contains("visual.conv1.weight") && c.contains("token_embedding.weight")) return Optional.of("OpenAI CLIP (metric model, ViT-B/32 naming)");
        if (c.contains("cls_token") && c.contains("patch_embed.proj.weight") && c.contains("blocks.0.attn.qkv.weight")) return Optional.of("DINO ViT (metric model)");
        if (c.contains("embeddings.cls_token") && c.contains("encoder.layer.0.attention.attention.query.weight")) return Optional.of("DINO ViT (metric model, HF naming)");
        return Optional.empty();
    }

    /** The recognised layout or a reason. */
    public static String describe(Checkpoint c) {
        return recognise(c).orElse("unrecognised (no FLUX, USO LoRA/projector, VAE, T5, CLIP, SigLIP or metric-model key set found)");
    }
}
