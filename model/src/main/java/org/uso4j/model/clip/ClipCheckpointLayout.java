package org.uso4j.model.clip;

import java.util.List;
import org.uso4j.core.io.WeightStore;

/**
 * The checkpoint layouts the CLIP text encoder loads from, each saying which tensors are not part of the text
 * transformer and are deliberately left unused. Everything else must be taken by the encoder (strict loading).
 * Old files also carry the int64 buffer {@code text_model.embeddings.position_ids} (= arange(77)), which the
 * model recomputes; it is skipped in every layout.
 */
enum ClipCheckpointLayout {
    /** {@code CLIPTextModel.save_pretrained}, ComfyUI's {@code clip_l.safetensors}: {@code text_model.*} only. */
    TEXT_MODEL(List.of(), List.of("text_model.embeddings.position_ids")),
    /** {@code CLIPTextModelWithProjection}: also the projection to the joint embedding space. */
    TEXT_MODEL_WITH_PROJECTION(List.of(), List.of("text_model.embeddings.position_ids", "text_projection.weight")),
    /**
     * A whole {@code CLIPModel} ({@code openai/clip-vit-large-patch14/model.safetensors}): the vision tower, both
     * projections and the contrastive logit scale belong to the image-text model, not the text encoder.
     */
    CLIP_MODEL(List.of("vision_model."), List.of("text_model.embeddings.position_ids", "text_projection.weight",
            "visual_projection.weight", "logit_scale"));

    private final List<String> foreignPrefixes;
    private final List<String> foreignKeys;

    ClipCheckpointLayout(List<String> foreignPrefixes, List<String> foreignKeys) {
        this.foreignPrefixes = foreignPrefixes;
        this.foreignKeys = foreignKeys;
    }

    static ClipCheckpointLayout detect(WeightStore store) {
        boolean vision = false, projection = false;
        for (String k : store.keys()) {
            vision |= k.startsWith("vision_model.") || k.equals("visual_projection.weight");
            projection |= k.equals("text_projection.weight");
        }
        return vision ? CLIP_MODEL : projection ? TEXT_MODEL_WITH_PROJECTION : TEXT_MODEL;
    }

    boolean isForeign(String key) {
        return foreignKeys.contains(key) || foreignPrefixes.stream().anyMatch(key::startsWith);
    }

    /** Marks this layout's foreign tensors as deliberately unused. */
    void skipForeign(WeightStore store) {
        for (String k : List.copyOf(store.keys())) if (isForeign(k)) store.skip(k);
    }
}
