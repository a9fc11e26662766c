package org.uso4j.model.metrics.clip;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.uso4j.core.Shape;
import org.uso4j.core.io.CheckpointException;
import org.uso4j.core.io.WeightStore;

/**
 * OpenAI CLIP ({@code CLIP(embed_dim, image_resolution, vision_layers, vision_width, vision_patch_size, context_length,
 * vocab_size, transformer_width, transformer_heads, transformer_layers)}, clip/model.py @ d05afc43): the vision
 * tower and the text transformer (width {@code transformerWidth}, causal, MLP 4 x width), both projecting to
 * {@code embedDim}. LayerNorm eps 1e-5 everywhere (torch default).
 */
public record ClipConfig(int embedDim, VisionTransformerConfig vision, int contextLength, int vocabSize,
        int transformerWidth, int transformerHeads, int transformerLayers, float layerNormEps) {
    private static final Pattern TEXT_LAYER = Pattern.compile("transformer\\.resblocks\\.(\\d+)\\..*");
    private static final Pattern VISION_LAYER = Pattern.compile("visual\\.transformer\\.resblocks\\.(\\d+)\\..*");
    /** {@code build_model}: heads = width // 64 for both towers of the released checkpoints. */
    public static final int HEAD_WIDTH = 64;

    public ClipConfig {
        if (embedDim <= 0 || vision.outputDim() != embedDim) {
            throw new IllegalArgumentException("CLIP: embed_dim " + embedDim + " must be > 0 and equal the vision output " + vision.outputDim());
        }
        if (contextLength <= 0 || vocabSize <= 0 || transformerWidth <= 0 || transformerLayers <= 0 || transformerHeads <= 0
                || transformerWidth % transformerHeads != 0) {
            throw new IllegalArgumentException("CLIP text: context " + contextLength + ", vocab " + vocabSize + ", width " + transformerWidth
                    + ", heads " + transformerHeads + ", layers " + transformerLayers + " are not a valid transformer");
        }
        if (!(layerNormEps > 0)) throw new IllegalArgumentException("CLIP: layer norm eps must be > 0, got " + layerNormEps);
    }

    /** {@code ViT-B-32.pt} (the CLIP-I / CLIP-T metric model): embed 512, text 512 wide x 12 layers x 8 heads, context 77. */
    public static ClipConfig vitB32() {
        return new ClipConfig(512, VisionTransformerConfig.vitB32(), 77, 49408, 512, 8, 12, 1e-5f);
    }

    /** {@code ViT-L-14.pt}: embed 768, text 768 wide x 12 layers x 12 heads, context 77. */
    public static ClipConfig vitL14() {
        return new ClipConfig(768, VisionTransformerConfig.vitL14(), 77, 49408, 768, 12, 12, 1e-5f);
    }

    /**
     * {@code build_model(state_dict)}: every size from the shapes of the canonical (OpenAI-named) tensors; the head
     * counts are width // 64 unless given (a config.json may say otherwise, as the tiny test models do).
     */
    public static ClipConfig fromWeights(WeightStore store, OptionalInt visionHeads, OptionalInt textHeads, float layerNormEps) {
        Shape conv1 = shape(store, "visual.conv1.weight");
        int visionWidth = conv1.dim(0), patch = conv1.dim(-1);
        int visionLayers = countLayers(store, VISION_LAYER, "visual.transformer.resblocks.");
        int grid = (int) Math.round(Math.sqrt(shape(store, "visual.positional_embedding").dim(0) - 1));
        int embedDim = shape(store, "text_projection").dim(1);
        int contextLength = shape(store, "positional_embedding").dim(0);
        int vocab = shape(store, "token_embedding.weight").dim(0);
        int width = shape(store, "ln_final.weight").dim(0);
        int layers = countLayers(store, TEXT_LAYER, "transformer.resblocks.");
        VisionTransformerConfig vision = new VisionTransformerConfig(patch * grid, patch, visionWidth, visionLayers,
                visionHeads.orElse(visionWidth / HEAD_WIDTH), embedDim, layerNormEps);
        return new ClipConfig(embedDim, vision, contextLength, vocab, width, textHeads.orElse(width / HEAD_WIDTH), layers, layerNormEps);
    }

    private static Shape shape(WeightStore store, String key) {
        return store.shapeOf(key).orElseThrow(() -> new CheckpointException("CLIP: missing tensor '" + key + "' needed to infer the config"));
    }

    /** Number of distinct {@code N} among keys matching {@code layer} (0..N-1 must all be present). */
    static int countLayers(WeightStore store, Pattern layer, String what) {
        int max = -1, distinct = 0;
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (String k : store.keys()) {
            Matcher m = layer.matcher(k);
            if (m.matches() && seen.add(Integer.parseInt(m.group(1)))) {
                distinct++;
                max = Math.max(max, Integer.parseInt(m.group(1)));
            }
        }
        if (distinct == 0) throw new CheckpointException("CLIP: no '" + what + "N' tensors");
        if (max + 1 != distinct) throw new CheckpointException("CLIP: '" + what + "N' layers are not numbered 0.." + (distinct - 1) + " (highest " + max + ")");
        return distinct;
    }
}
