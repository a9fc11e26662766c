package org.uso4j.model.t5;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.Linear;
import org.uso4j.model.nn.RmsNorm;
import org.uso4j.model.nn.Weights;

/**
 * One encoder {@code T5Block}: {@code layer.0} = T5LayerSelfAttention (RMS norm, attention without
 * {@code 1/sqrt(d_kv)} scaling plus the shared position bias, residual), {@code layer.1} = T5LayerFF (RMS norm,
 * gated feed-forward {@code wo(act(wi_0 x) ⊙ wi_1 x)}, residual). No biases anywhere.
 */
final class T5Block {
    private final RmsNorm attentionNorm;
    private final Linear q, k, v, o;
    private final RmsNorm ffNorm;
    private final Linear wi0, wi1, wo;
    private final Activation act;
    private final int heads, dKv;

    private T5Block(RmsNorm attentionNorm, Linear q, Linear k, Linear v, Linear o, RmsNorm ffNorm, Linear wi0, Linear wi1,
            Linear wo, Activation act, int heads, int dKv) {
        this.attentionNorm = attentionNorm;
        this.q = q;
        this.k = k;
        this.v = v;
        this.o = o;
        this.ffNorm = ffNorm;
        this.wi0 = wi0;
        this.wi1 = wi1;
        this.wo = wo;
        this.act = act;
        this.heads = heads;
        this.dKv = dKv;
    }

    /** Loads {@code encoder.block.N} ({@code w}); block 0's relative_attention_bias is taken by the encoder. */
    static T5Block load(Weights w, T5Config c) {
        int d = c.dModel(), inner = c.innerDim(), ff = c.dFf();
        Weights selfAttention = w.at("layer").at(0).at("SelfAttention");
        Weights denseReluDense = w.at("layer").at(1).at("DenseReluDense");
        return new T5Block(
                new RmsNorm(w.at("layer").at(0).at("layer_norm").take("weight", d), c.layerNormEpsilon()),
                Linear.load(selfAttention.at("q"), d, inner, false),
                Linear.load(selfAttention.at("k"), d, inner, false),
                Linear.load(selfAttention.at("v"), d, inner, false),
                Linear.load(selfAttention.at("o"), inner, d, false),
                new RmsNorm(w.at("layer").at(1).at("layer_norm").take("weight", d), c.layerNormEpsilon()),
                Linear.load(denseReluDense.at("wi_0"), d, ff, false),
                Linear.load(denseReluDense.at("wi_1"), d, ff, false),
                Linear.load(denseReluDense.at("wo"), ff, d, false),
                c.activation(), c.numHeads(), c.dKv());
    }

    /** hidden_states [B, L, d_model], position_bias [1, H, L, L] → [B, L, d_model]. */
    Tensor forward(Backend be, Tensor hiddenStates, Tensor positionBias) {
        int b = hiddenStates.dim(0), l = hiddenStates.dim(1);
        // T5LayerSelfAttention
        Tensor normed = attentionNorm.forward(be, hiddenStates);
        Tensor qh = splitHeads(be, q.forward(be, normed), b, l); // [B, H, L, d_kv]
        Tensor kh = splitHeads(be, k.forward(be, normed), b, l);
        Tensor vh = splitHeads(be, v.forward(be, normed), b, l);
        Tensor attn = be.attention(qh, kh, vh, 1f, positionBias, false); // scores = q kᵀ + bias: no 1/sqrt(d_kv)
        attn = be.permute(attn, 0, 2, 1, 3).reshape(b, l, heads * dKv); // unshape: [B, L, inner]
        hiddenStates = be.add(hiddenStates, o.forward(be, attn));
        // T5LayerFF (T5DenseGatedActDense)
        Tensor forwarded = ffNorm.forward(be, hiddenStates);
        Tensor hiddenGelu = be.activate(wi0.forward(be, forwarded), act);
        Tensor hiddenLinear = wi1.forward(be, forwarded);
        return be.add(hiddenStates, wo.forward(be, be.mul(hiddenGelu, hiddenLinear)));
    }

    /** [B, L, H·d_kv] → [B, H, L, d_kv]. */
    private Tensor splitHeads(Backend be, Tensor x, int b, int l) {
        return be.permute(x.reshape(b, l, heads, dKv), 0, 2, 1, 3);
    }
}
