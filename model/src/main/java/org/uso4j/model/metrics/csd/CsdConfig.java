package org.uso4j.model.metrics.csd;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.uso4j.core.Shape;
import org.uso4j.core.io.CheckpointException;
import org.uso4j.core.io.WeightStore;
import org.uso4j.model.metrics.clip.VisionTransformerConfig;

/**
 * CSD ({@code CSD_CLIP('vit_large', content_proj_head='default')}, learn2phoenix/CSD CSD/model.py @ 3a9df326): an
 * OpenAI CLIP vision tower without {@code proj} and two projection matrices [width, projectionDim]
 * ({@code last_layer_style}, {@code last_layer_content}).
 */
public record CsdConfig(VisionTransformerConfig backbone, int projectionDim) {
    private static final Pattern LAYER = Pattern.compile("backbone\\.transformer\\.resblocks\\.(\\d+)\\..*");
    /** Released CLIP towers: heads = width // 64. */
    public static final int HEAD_WIDTH = 64;

    public CsdConfig {
        if (backbone.hasProjection()) throw new IllegalArgumentException("CSD: the backbone has no proj (output_dim must be 0)");
        if (projectionDim <= 0) throw new IllegalArgumentException("CSD: projection dim must be > 0, got " + projectionDim);
    }

    /** tomg-group-umd CSD-ViT-L: ViT-L/14 backbone (1024 wide, 24 layers, 16 heads, 224 px), heads [1024, 768]. */
    public static CsdConfig vitL14() { return new CsdConfig(VisionTransformerConfig.vitL14().withoutProjection(), 768); }

    /** Sizes from the canonical ({@code module.}-less) tensors; heads as given, else width / 64. */
    public static CsdConfig fromWeights(WeightStore store, OptionalInt heads, float layerNormEps) {
        Shape conv1 = shape(store, "backbone.conv1.weight");
        int width = conv1.dim(0), patch = conv1.dim(-1);
        int grid = (int) Math.round(Math.sqrt(shape(store, "backbone.positional_embedding").dim(0) - 1));
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        int max = -1;
        for (String k : store.keys()) {
            Matcher m = LAYER.matcher(k);
            if (m.matches() && seen.add(Integer.parseInt(m.group(1)))) max = Math.max(max, Integer.parseInt(m.group(1)));
        }
        if (seen.isEmpty() || max + 1 != seen.size()) throw new CheckpointException("CSD: backbone resblocks are not numbered 0..N-1 (found " + seen + ")");
        int dim = shape(store, "last_layer_style").dim(1);
        VisionTransformerConfig backbone = new VisionTransformerConfig(grid * patch, patch, width, seen.size(),
                heads.orElse(width / HEAD_WIDTH), 0, layerNormEps);
        return new CsdConfig(backbone, dim);
    }

    private static Shape shape(WeightStore store, String key) {
        return store.shapeOf(key).orElseThrow(() -> new CheckpointException("CSD: missing tensor '" + key + "' needed to infer the config"));
    }
}
