package org.uso4j.model.metrics.clip;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.LayerNorm;
import org.uso4j.model.nn.Weights;

/**
 * clip/model.py {@code VisionTransformer.forward} (@ d05afc43): patchify with conv1 (stride = patch, no bias),
 * prepend class_embedding, add positional_embedding (no interpolation), ln_pre, the resblocks, ln_post on the
 * class token, then {@code @ proj} [width, output_dim] when the tower has one. Used by CLIP's {@code visual}
 * and by CSD's {@code backbone} (proj removed).
 */
public final class VisionTransformer {
    private final VisionTransformerConfig config;
    private final Tensor conv1;               // [W, 3, p, p]
    private final Tensor classEmbedding;      // [1, 1, W] float32
    private final Tensor positionalEmbedding; // [1+g², W] float32
    private final LayerNorm lnPre, lnPost;
    private final List<ResidualAttentionBlock> resblocks;
    private final Tensor proj;                // [W, output_dim] or null

    private VisionTransformer(VisionTransformerConfig config, Tensor conv1, Tensor classEmbedding, Tensor positionalEmbedding,
            LayerNorm lnPre, List<ResidualAttentionBlock> resblocks, LayerNorm lnPost, Tensor proj) {
        this.config = config;
        this.conv1 = conv1;
        this.classEmbedding = classEmbedding;
        this.positionalEmbedding = positionalEmbedding;
        this.lnPre = lnPre;
        this.resblocks = List.copyOf(resblocks);
        this.lnPost = lnPost;
        this.proj = proj;
    }

    /** Takes {@code w}'s tensors (w = {@code visual} or CSD's {@code backbone}) strictly with the shapes of {@code c}. */
    public static VisionTransformer load(Weights w, VisionTransformerConfig c) {
        int width = c.width(), p = c.patchSize();
        Tensor conv1 = w.at("conv1").take("weight", width, 3, p, p);
        Tensor cls = w.adopt(w.takeHost("class_embedding", width).toF32().reshape(1, 1, width));
        Tensor pos = w.adopt(w.takeHost("positional_embedding", c.tokens(), width).toF32());
        LayerNorm lnPre = LayerNorm.load(w.at("ln_pre"), width, c.layerNormEps());
        List<ResidualAttentionBlock> blocks = new ArrayList<>();
        Weights rb = w.at("transformer").at("resblocks");
        for (int i = 0; i < c.layers(); i++) blocks.add(ResidualAttentionBlock.load(rb.at(i), width, c.heads(), c.layerNormEps(), false));
        LayerNorm lnPost = LayerNorm.load(w.at("ln_post"), width, c.layerNormEps());
        Tensor proj = c.hasProjection() ? w.take("proj", width, c.outputDim()) : null;
        return new VisionTransformer(c, conv1, cls, pos, lnPre, blocks, lnPost, proj);
    }

    public VisionTransformerConfig config() { return config; }

    /** image [B, 3, R, R] (R = input_resolution, normalised pixels) → features. */
    public VisionTransformerOutput forward(Backend be, Tensor image) {
        int r = config.inputResolution(), width = config.width(), g = config.grid();
        if (image.rank() != 4 || image.dim(1) != 3 || image.dim(2) != r || image.dim(3) != r) {
            throw new IllegalArgumentException("CLIP vision input must be [B, 3, " + r + ", " + r + "], got " + image.shape());
        }
        int b = image.dim(0);
        image = image.toF32();
        Tensor x = be.conv2d(image, conv1, null, config.patchSize(), new int[]{0, 0, 0, 0}); // [B, W, g, g]
        x = be.permute(x.reshape(b, width, g * g), 0, 2, 1);                                   // [B, g², W], row-major patches
        x = be.concat(1, List.of(be.concat(0, Collections.nCopies(b, classEmbedding)), x)); // [B, 1+g², W]
        x = be.add(x, positionalEmbedding);
        x = lnPre.forward(be, x);
        Tensor lnPreOut = x;
        List<Tensor> outs = new ArrayList<>(resblocks.size());
        for (ResidualAttentionBlock block : resblocks) {
            x = block.forward(be, x);
            outs.add(x);
        }
        Tensor pooled = lnPost.forward(be, be.slice(x, 1, 0, 1).reshape(b, width)); // ln_post(x[:, 0, :])
        Tensor features = proj == null ? pooled : be.matmul(pooled, proj, false);
        return new VisionTransformerOutput(lnPreOut, outs, pooled, features);
    }
}
