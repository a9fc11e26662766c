package org.uso4j.model.metrics.dino;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.metrics.PackedSelfAttention;
import org.uso4j.model.nn.LayerNorm;
import org.uso4j.model.nn.Linear;
import org.uso4j.model.nn.Weights;

/**
 * vision_transformer.py {@code Block} (drop path and dropout are identities at inference):
 * {@code x = x + attn.proj(MHSA(norm1(x))); x = x + mlp.fc2(GELU(mlp.fc1(norm2(x))))}.
 */
final class DinoBlock {
    private final LayerNorm norm1, norm2;
    private final PackedSelfAttention attn;
    private final Linear fc1, fc2;

    private DinoBlock(LayerNorm norm1, PackedSelfAttention attn, LayerNorm norm2, Linear fc1, Linear fc2) {
        this.norm1 = norm1;
        this.attn = attn;
        this.norm2 = norm2;
        this.fc1 = fc1;
        this.fc2 = fc2;
    }

    static DinoBlock load(Weights w, DinoConfig c) {
        int d = c.embedDim(), h = c.mlpHidden();
        Weights a = w.at("attn");
        PackedSelfAttention attn = new PackedSelfAttention(Linear.load(a.at("qkv"), d, 3 * d, true),
                Linear.load(a.at("proj"), d, d, true), c.numHeads(), false);
        Weights mlp = w.at("mlp");
        return new DinoBlock(LayerNorm.load(w.at("norm1"), d, c.layerNormEps()), attn, LayerNorm.load(w.at("norm2"), d, c.layerNormEps()),
                Linear.load(mlp.at("fc1"), d, h, true), Linear.load(mlp.at("fc2"), h, d, true));
    }

    /** x [B, L, D] → [B, L, D]. */
    Tensor forward(Backend be, Tensor x) {
        x = be.add(x, attn.forward(be, norm1.forward(be, x)));
        return be.add(x, fc2.forward(be, be.activate(fc1.forward(be, norm2.forward(be, x)), Activation.GELU_ERF)));
    }
}
