package org.uso4j.model.siglip;

import java.util.List;
import org.uso4j.core.io.WeightStore;

/**
 * The checkpoint layouts the SigLIP vision tower loads from, each saying which tensors are not part of the tower
 * and are deliberately left unused. Everything else must be taken by the tower (strict loading).
 */
enum SiglipCheckpointLayout {
    /** {@code SiglipVisionModel.save_pretrained} and vision-only repacks: {@code vision_model.*} only. */
    VISION_MODEL(List.of(), List.of()),
    /**
     * A whole {@code SiglipModel} ({@code google/siglip-so400m-patch14-384/model.safetensors}): the text tower and
     * the contrastive {@code logit_scale} / {@code logit_bias} belong to the image-text model, not the vision tower.
     */
    SIGLIP_MODEL(List.of("text_model."), List.of("logit_scale", "logit_bias"));

    private final List<String> foreignPrefixes;
    private final List<String> foreignKeys;

    SiglipCheckpointLayout(List<String> foreignPrefixes, List<String> foreignKeys) {
        this.foreignPrefixes = foreignPrefixes;
        this.foreignKeys = foreignKeys;
    }

    static SiglipCheckpointLayout detect(WeightStore store) {
        for (String k : store.keys()) {
            if (SIGLIP_MODEL.isForeign(k)) return SIGLIP_MODEL;
        }
        return VISION_MODEL;
    }

    boolean isForeign(String key) {
        return foreignKeys.contains(key) || foreignPrefixes.stream().anyMatch(key::startsWith);
    }

    /** Marks this layout's foreign tensors as deliberately unused. */
    void skipForeign(WeightStore store) {
        for (String k : List.copyOf(store.keys())) if (isForeign(k)) store.skip(k);
    }
}
