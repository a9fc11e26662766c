package org.uso4j.model.clip;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.Linear;
import org.uso4j.model.nn.Weights;

/**
 * transformers {@code CLIPAttention} in the text encoder: multi-head self-attention with the causal mask
 * (query i sees keys j ≤ i), q/k/v/out with bias, scale {@code d^-0.5}.
 */
final class ClipAttention {
    private final Linear qProj, kProj, vProj, outProj;
    private final int heads, headDim;
    private final float scale;

    private ClipAttention(Linear qProj, Linear kProj, Linear vProj, Linear outProj, int heads, int headDim) {
        this.qProj = qProj;
        this.kProj = kProj;
        this.vProj = vProj;
        this.outProj = outProj;
        this.heads = heads;
        this.headDim = headDim;
        this.scale = (float) Math.pow(headDim, -0.5);
    }

    static ClipAttention load(Weights w, ClipTextConfig c) {
        int d = c.hiddenSize();
        return new ClipAttention(Linear.load(w.at("q_proj"), d, d, true), Linear.load(w.at("k_proj"), d, d, true),
                Linear.load(w.at("v_proj"), d, d, true), Linear.load(w.at("out_proj"), d, d, true),
                c.numAttentionHeads(), c.headDim());
    }

    /** hidden_states [B, L, D] → [B, L, D], causal. */
    Tensor forward(Backend be, Tensor hiddenStates) {
        int b = hiddenStates.dim(0), l = hiddenStates.dim(1);
        Tensor q = splitHeads(be, qProj.forward(be, hiddenStates), b, l); // [B, H, L, d]
        Tensor k = splitHeads(be, kProj.forward(be, hiddenStates), b, l);
        Tensor v = splitHeads(be, vProj.forward(be, hiddenStates), b, l);
        Tensor o = be.attention(q, k, v, scale, null, true);
        return outProj.forward(be, be.permute(o, 0, 2, 1, 3).reshape(b, l, heads * headDim));
    }

    /** [B, L, H·d] → [B, H, L, d]: head h holds columns h·d … h·d+d-1. */
    private Tensor splitHeads(Backend be, Tensor x, int b, int l) {
        return be.permute(x.reshape(b, l, heads, headDim), 0, 2, 1, 3);
    }
}
