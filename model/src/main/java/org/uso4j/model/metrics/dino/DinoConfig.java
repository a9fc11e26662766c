package org.uso4j.model.metrics.dino;

import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.uso4j.core.Shape;
import org.uso4j.core.io.CheckpointException;
import org.uso4j.core.io.WeightStore;

/**
 * DINO v1 {@code VisionTransformer} (facebookresearch/dino vision_transformer.py @ 7c446df5) as hubconf builds it:
 * {@code img_size} (the stored position table is (img_size / patch)² + 1 rows), patch, embed_dim, depth, heads,
 * MLP hidden = mlp_ratio x embed_dim, qkv_bias, LayerNorm eps 1e-6, exact (erf) GELU, no classifier head.
 */
public record DinoConfig(int imgSize, int patchSize, int embedDim, int depth, int numHeads, int mlpHidden, float layerNormEps) {
    private static final Pattern BLOCK = Pattern.compile("blocks\\.(\\d+)\\..*");
    /** The released DINO ViTs have 64-wide heads (vit_small: 384 / 6, vit_base: 768 / 12). */
    public static final int HEAD_WIDTH = 64;

    public DinoConfig {
        if (patchSize <= 0 || imgSize <= 0 || imgSize % patchSize != 0) {
            throw new IllegalArgumentException("DINO: img_size " + imgSize + " is not a multiple of patch_size " + patchSize);
        }
        if (embedDim <= 0 || depth <= 0 || numHeads <= 0 || embedDim % numHeads != 0 || mlpHidden <= 0) {
            throw new IllegalArgumentException("DINO: embed_dim " + embedDim + ", depth " + depth + ", num_heads " + numHeads
                    + ", mlp hidden " + mlpHidden + " are not a valid transformer");
        }
        if (!(layerNormEps > 0)) throw new IllegalArgumentException("DINO: layer norm eps must be > 0, got " + layerNormEps);
    }

    /** Patches per side of the stored position table. */
    public int grid() { return imgSize / patchSize; }

    /** hubconf {@code dino_vits16} (the DINO metric model): 224 px, patch 16, 384 wide, 12 blocks, 6 heads. */
    public static DinoConfig vits16() { return new DinoConfig(224, 16, 384, 12, 6, 4 * 384, 1e-6f); }

    /** hubconf {@code dino_vits8}. */
    public static DinoConfig vits8() { return new DinoConfig(224, 8, 384, 12, 6, 4 * 384, 1e-6f); }

    /** hubconf {@code dino_vitb16}. */
    public static DinoConfig vitb16() { return new DinoConfig(224, 16, 768, 12, 12, 4 * 768, 1e-6f); }

    /** hubconf {@code dino_vitb8}. */
    public static DinoConfig vitb8() { return new DinoConfig(224, 8, 768, 12, 12, 4 * 768, 1e-6f); }

    /** Sizes from the canonical tensors' shapes; heads as given, else embed_dim / 64. */
    public static DinoConfig fromWeights(WeightStore store, OptionalInt numHeads, float layerNormEps) {
        int embed = shape(store, "cls_token").dim(-1);
        int patch = shape(store, "patch_embed.proj.weight").dim(-1);
        int n = shape(store, "pos_embed").dim(1) - 1;
        int side = (int) Math.sqrt(n);
        if (side * side != n) throw new CheckpointException("DINO: pos_embed has " + n + " patch rows, not a square grid");
        Set<Integer> seen = new HashSet<>();
        int max = -1;
        for (String k : store.keys()) {
            Matcher m = BLOCK.matcher(k);
            if (m.matches() && seen.add(Integer.parseInt(m.group(1)))) max = Math.max(max, Integer.parseInt(m.group(1)));
        }
        if (seen.isEmpty() || max + 1 != seen.size()) throw new CheckpointException("DINO: blocks are not numbered 0..N-1 (found " + seen + ")");
        int hidden = shape(store, "blocks.0.mlp.fc1.weight").dim(0);
        return new DinoConfig(side * patch, patch, embed, seen.size(), numHeads.orElse(embed / HEAD_WIDTH), hidden, layerNormEps);
    }

    private static Shape shape(WeightStore store, String key) {
        return store.shapeOf(key).orElseThrow(() -> new CheckpointException("DINO: missing tensor '" + key + "' needed to infer the config"));
    }
}
