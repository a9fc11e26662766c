package org.uso4j.model.flux;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.uso4j.core.Shape;
import org.uso4j.core.io.CheckpointException;
import org.uso4j.core.io.WeightStore;

/**
 * FLUX transformer hyper-parameters ({@code FluxParams} of black-forest-labs/flux {@code model.py}).
 *
 * @param inChannels        packed latent features per token (16 channels × 2 × 2 = 64)
 * @param vecInDim          pooled text vector size (CLIP-L: 768)
 * @param contextInDim      text token features (T5-XXL: 4096)
 * @param hiddenSize        transformer width (3072)
 * @param mlpRatio          MLP hidden = int(hiddenSize · mlpRatio)
 * @param numHeads          attention heads (24; head dim = hiddenSize / numHeads)
 * @param depth             double-stream blocks (19)
 * @param depthSingleBlocks single-stream blocks (38)
 * @param axesDim           RoPE dims per id axis, summing to the head dim ([16, 56, 56])
 * @param theta             RoPE base (10000)
 * @param qkvBias           whether the qkv projections have a bias
 * @param guidanceEmbed     whether a distilled-guidance embedder exists (FLUX.1-dev: yes)
 */
public record FluxConfig(int inChannels, int vecInDim, int contextInDim, int hiddenSize, double mlpRatio, int numHeads,
                         int depth, int depthSingleBlocks, int[] axesDim, int theta, boolean qkvBias, boolean guidanceEmbed) {

    /** Size of the sinusoidal timestep / guidance embedding fed to {@code time_in} and {@code guidance_in}. */
    public static final int TIMESTEP_EMBED_DIM = 256;

    public FluxConfig {
        axesDim = axesDim.clone();
        if (hiddenSize % numHeads != 0) throw new IllegalArgumentException("hidden size " + hiddenSize + " not divisible by " + numHeads + " heads");
        int sum = Arrays.stream(axesDim).sum();
        if (sum != hiddenSize / numHeads) {
            throw new IllegalArgumentException("axes_dim " + Arrays.toString(axesDim) + " sum to " + sum + ", head dim is " + hiddenSize / numHeads);
        }
        for (int a : axesDim) if (a % 2 != 0) throw new IllegalArgumentException("axes_dim entries must be even: " + Arrays.toString(axesDim));
    }

    @Override public int[] axesDim() { return axesDim.clone(); }

    public int headDim() { return hiddenSize / numHeads; }

    public int mlpHidden() { return (int) (hiddenSize * mlpRatio); }

    /** FLUX.1-dev as released (flux1-dev.safetensors). */
    public static FluxConfig dev() {
        return new FluxConfig(64, 768, 4096, 3072, 4.0, 24, 19, 38, new int[]{16, 56, 56}, 10000, true, true);
    }

    /** FLUX.1-schnell: dev without the guidance embedder. */
    public static FluxConfig schnell() {
        return new FluxConfig(64, 768, 4096, 3072, 4.0, 24, 19, 38, new int[]{16, 56, 56}, 10000, true, false);
    }

    /** From a {@code FluxParams} JSON object (the golden files' metadata, or a case.json). */
    public static FluxConfig fromJson(JsonNode p) {
        JsonNode axes = p.path("axes_dim");
        int[] a = new int[axes.size()];
        for (int i = 0; i < a.length; i++) a[i] = axes.get(i).asInt();
        return new FluxConfig(p.path("in_channels").asInt(), p.path("vec_in_dim").asInt(), p.path("context_in_dim").asInt(),
                p.path("hidden_size").asInt(), p.path("mlp_ratio").asDouble(), p.path("num_heads").asInt(), p.path("depth").asInt(),
                p.path("depth_single_blocks").asInt(), a, p.path("theta").asInt(10000), p.path("qkv_bias").asBoolean(true),
                p.path("guidance_embed").asBoolean(true));
    }

    private static final Pattern DOUBLE = Pattern.compile("double_blocks\\.(\\d+)\\..*");
    private static final Pattern SINGLE = Pattern.compile("single_blocks\\.(\\d+)\\..*");

    /**
     * Reads the hyper-parameters from the tensor shapes of a BFL-named FLUX checkpoint. The RoPE axes are not in the
     * weights: {@code axesDim} is used when given, FLUX's [16, 56, 56] for head dim 128, and otherwise
     * [d/4, 3d/8, 3d/8] (the convention of the tiny test models).
     */
    public static FluxConfig fromWeights(WeightStore w, int[] axesDim) {
        Shape imgIn = require(w, "img_in.weight");
        int hidden = imgIn.dim(0);
        int headDim = require(w, "double_blocks.0.img_attn.norm.query_norm.scale").dim(0);
        int mlpHidden = require(w, "double_blocks.0.img_mlp.0.weight").dim(0);
        int depth = 0, single = 0;
        for (String k : w.keys()) {
            Matcher m = DOUBLE.matcher(k);
            if (m.matches()) depth = Math.max(depth, Integer.parseInt(m.group(1)) + 1);
            m = SINGLE.matcher(k);
            if (m.matches()) single = Math.max(single, Integer.parseInt(m.group(1)) + 1);
        }
        int[] axes = axesDim != null ? axesDim
                : headDim == 128 ? new int[]{16, 56, 56}
                : new int[]{headDim / 4, 3 * headDim / 8, headDim - headDim / 4 - 3 * headDim / 8};
        return new FluxConfig(imgIn.dim(1), require(w, "vector_in.in_layer.weight").dim(1), require(w, "txt_in.weight").dim(1),
                hidden, (double) mlpHidden / hidden, hidden / headDim, depth, single, axes, 10000,
                w.has("double_blocks.0.img_attn.qkv.bias"), w.has("guidance_in.in_layer.weight"));
    }

    private static Shape require(WeightStore w, String key) {
        return w.shapeOf(key).orElseThrow(() -> new CheckpointException("not a FLUX checkpoint: no tensor '" + key + "'"));
    }

    @Override public boolean equals(Object o) {
        return o instanceof FluxConfig c && c.inChannels == inChannels && c.vecInDim == vecInDim && c.contextInDim == contextInDim
                && c.hiddenSize == hiddenSize && c.mlpRatio == mlpRatio && c.numHeads == numHeads && c.depth == depth
                && c.depthSingleBlocks == depthSingleBlocks && Arrays.equals(c.axesDim, axesDim) && c.theta == theta
                && c.qkvBias == qkvBias && c.guidanceEmbed == guidanceEmbed;
    }

    @Override public int hashCode() { return Arrays.hashCode(axesDim) * 31 + hiddenSize * 17 + depth * 7 + depthSingleBlocks; }

    @Override public String toString() {
        return "FluxConfig[hidden " + hiddenSize + ", " + numHeads + " heads, depth " + depth + "+" + depthSingleBlocks
                + ", mlp " + mlpRatio + ", axes " + Arrays.toString(axesDim) + ", in " + inChannels + ", ctx " + contextInDim
                + ", vec " + vecInDim + (guidanceEmbed ? ", guidance" : "") + "]";
    }
}
