package org.uso4j.model.siglip;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.Linear;
import org.uso4j.model.nn.Weights;

/** transformers {@code SiglipAttention}: multi-head self-attention, q/k/v/out with bias, scale {@code d^-0.5}, no mask. */
final class SiglipAttention {
    private final Linear qProj, kProj, vProj, outProj;
    private final int heads, headDim;
    private final float scale;

    private SiglipAttention(Linear qProj, Linear kProj, Linear vProj, Linear outProj, int heads, int headDim) {
        this.qProj = qProj;
        this.kProj = kProj;
        this.vProj = vProj;
        this.outProj = outProj;
        this.heads = heads;
        this.headDim = headDim;
        this.scale = (float) Math.pow(headDim, -0.5);
    }

    static SiglipAttention load(Weights w, SiglipVisionConfig c) {
        int d = c.hiddenSize();
        return new SiglipAttention(Linear.load(w.at("q_proj"), d, d, true), Linear.load(w.at("k_proj"), d, d, true),
                Linear.load(w.at("v_proj"), d, d, true), Linear.load(w.at("out_proj"), d, d, true),
                c.numAttentionHeads(), c.headDim());
    }

    /** hidden_states [B, L, D] → [B, L, D]. */
    Tensor forward(Backend be, Tensor hiddenStates) {
        int b = hiddenStates.dim(0), l = hiddenStates.dim(1);
        Tensor q = splitHeads(be, qProj.forward(be, hiddenStates), b, l); // [B, H, L, d]
        Tensor k = splitHeads(be, kProj.forward(be, hiddenStates), b, l);
        Tensor v = splitHeads(be, vProj.forward(be, hiddenStates), b, l);
        Tensor o = be.attention(q, k, v, scale, null, false);             // softmax(q kᵀ · d^-0.5) v
        return outProj.forward(be, mergeHeads(be, o, b, l));
    }

    /** [B, L, H·d] → [B, H, L, d]: head h holds columns h·d … h·d+d-1. */
    static Tensor splitHeads(Backend be, Tensor x, int b, int l, int heads, int headDim) {
        return be.permute(x.reshape(b, l, heads, headDim), 0, 2, 1, 3);
    }

    /** [B, H, L, d] → [B, L, H·d]. */
    static Tensor mergeHeads(Backend be, Tensor x, int b, int l) {
        return be.permute(x, 0, 2, 1, 3).reshape(b, l, x.dim(1) * x.dim(3));
    }

    private Tensor splitHeads(Backend be, Tensor x, int b, int l) { return splitHeads(be, x, b, l, heads, headDim); }
}
