package org.uso4j.model.metrics.clip;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.metrics.PackedSelfAttention;
import org.uso4j.model.nn.LayerNorm;
import org.uso4j.model.nn.Linear;
import org.uso4j.model.nn.Weights;

/**
 * clip/model.py {@code ResidualAttentionBlock} (shared by both CLIP towers and CSD's backbone), pre-LN:
 * {@code x = x + attn(ln_1(x)); x = x + mlp.c_proj(QuickGELU(mlp.c_fc(ln_2(x))))}, MLP width 4 x d_model.
 */
final class ResidualAttentionBlock {
    private final LayerNorm ln1, ln2;
    private final PackedSelfAttention attn;
    private final Linear cFc, cProj;

    private ResidualAttentionBlock(LayerNorm ln1, PackedSelfAttention attn, LayerNorm ln2, Linear cFc, Linear cProj) {
        this.ln1 = ln1;
        this.attn = attn;
        this.ln2 = ln2;
        this.cFc = cFc;
        this.cProj = cProj;
    }

    /** {@code w} = {@code ...transformer.resblocks.N}; {@code causal} for the text tower's attn_mask. */
    static ResidualAttentionBlock load(Weights w, int width, int heads, float eps, boolean causal) {
        Weights a = w.at("attn");
        Linear inProj = new Linear(a.take("in_proj_weight", 3 * width, width), a.take("in_proj_bias", 3 * width));
        PackedSelfAttention attn = new PackedSelfAttention(inProj, Linear.load(a.at("out_proj"), width, width, true), heads, causal);
        Weights mlp = w.at("mlp");
        return new ResidualAttentionBlock(LayerNorm.load(w.at("ln_1"), width, eps), attn, LayerNorm.load(w.at("ln_2"), width, eps),
                Linear.load(mlp.at("c_fc"), width, 4 * width, true), Linear.load(mlp.at("c_proj"), 4 * width, width, true));
    }

    /** x [B, L, W] → [B, L, W]. */
    Tensor forward(Backend be, Tensor x) {
        x = be.add(x, attn.forward(be, ln1.forward(be, x)));
        return be.add(x, cProj.forward(be, be.activate(cFc.forward(be, ln2.forward(be, x)), Activation.QUICK_GELU)));
    }
}
