package org.uso4j.model.nn;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;

/**
 * transformers {@code CLIPAttention} and {@code SiglipAttention} (4.43; the latter is "Copied from" the former):
 * multi-head self-attention with separate {@code q_proj}, {@code k_proj}, {@code v_proj}, {@code out_proj}, all
 * with bias, scale {@code d^-0.5}. CLIP's text encoder passes the causal mask (query i sees keys j ≤ i); SigLIP
 * passes no mask.
 */
public final class MultiHeadSelfAttention {
    private final Linear qProj, kProj, vProj, outProj;
    private final int heads, headDim;
    private final float scale;
    private final boolean causal;

    private MultiHeadSelfAttention(Linear qProj, Linear kProj, Linear vProj, Linear outProj, int heads, int headDim, boolean causal) {
        this.qProj = qProj;
        this.kProj = kProj;
        this.vProj = vProj;
        this.outProj = outProj;
        this.heads = heads;
        this.headDim = headDim;
        this.scale = (float) Math.pow(headDim, -0.5);
        this.causal = causal;
    }

    /** {@code w} = {@code ...self_attn}; {@code hiddenSize} divisible by {@code heads} (the configs check it). */
    public static MultiHeadSelfAttention load(Weights w, int hiddenSize, int heads, boolean causal) {
        int d = hiddenSize;
        return new MultiHeadSelfAttention(Linear.load(w.at("q_proj"), d, d, true), Linear.load(w.at("k_proj"), d, d, true),
                Linear.load(w.at("v_proj"), d, d, true), Linear.load(w.at("out_proj"), d, d, true),
                heads, d / heads, causal);
    }

    /** hidden_states [B, L, D] → [B, L, D]. */
    public Tensor forward(Backend be, Tensor hiddenStates) {
        int b = hiddenStates.dim(0), l = hiddenStates.dim(1);
        Tensor q = splitHeads(be, qProj.forward(be, hiddenStates), b, l, heads, headDim); // [B, H, L, d]
        Tensor k = splitHeads(be, kProj.forward(be, hiddenStates), b, l, heads, headDim);
        Tensor v = splitHeads(be, vProj.forward(be, hiddenStates), b, l, heads, headDim);
        Tensor o = be.attention(q, k, v, scale, null, causal);                             // softmax(q kᵀ · d^-0.5 [+ mask]) v
        return outProj.forward(be, mergeHeads(be, o, b, l));
    }

    /** [B, L, H·d] → [B, H, L, d]: head h holds columns h·d … h·d+d-1. */
    public static Tensor splitHeads(Backend be, Tensor x, int b, int l, int heads, int headDim) {
        return be.permute(x.reshape(b, l, heads, headDim), 0, 2, 1, 3);
    }

    /** [B, H, L, d] → [B, L, H·d]. */
    public static Tensor mergeHeads(Backend be, Tensor x, int b, int l) {
        return be.permute(x, 0, 2, 1, 3).reshape(b, l, x.dim(1) * x.dim(3));
    }
}
