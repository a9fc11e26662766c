package org.uso4j.model.t5;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.Linear;
import org.uso4j.model.nn.RmsNorm;
import org.uso4j.model.nn.Weights;

/**
 * One encoder {@code T5Block}: {@code layer.0} = T5LayerSelfAttention (RMS norm, attention without
 * {@code 1/sqrt(d_kv)} scaling plus the shared position bias, residual), {@code layer.1} = T5LayerFF (RMS norm,
 * feed-forward, residual). No biases anywhere.
 */
final class T5Block {
    private final RmsNorm attentionNorm;
    private final Linear q, k, v, o;
    private final RmsNorm ffNorm;
    private final T5FeedForward denseReluDense;
    private final int heads, dKv;

    private T5Block(RmsNorm attentionNorm, Linear q, Linear k, Linear v, Linear o, RmsNorm ffNorm,
            T5FeedForward denseReluDense, int heads, int dKv) {
        this.attentionNorm = attentionNorm;
        this.q = q;
        this.k = k;
        this.v = v;
        this.o = o;
        this.ffNorm = ffNorm;
        this.denseReluDense = denseReluDense;
        this.heads = heads;
        this.dKv = dKv;
    }

    /** Loads {@code encoder.block.N} ({@code w}); block 0's relative_attention_bias is taken by the encoder. */
    static T5Block load(Weights w, T5Config c) {
        int d = c.dModel(), inner = c.innerDim();
        Weights selfAttention = w.at("layer").at(0).at("SelfAttention");
        return new T5Block(
                new RmsNorm(w.at("layer").at(0).at("layer_norm").take("weight", d), c.layerNormEpsilon()),
                Linear.load(selfAttention.at("q"), d, inner, false),
                Linear.load(selfAttention.at("k"), d, inner, false),
                Linear.load(selfAttention.at("v"), d, inner, false),
                Linear.load(selfAttention.at("o"), inner, d, false),
                new RmsNorm(w.at("layer").at(1).at("layer_norm").take("weight", d), c.layerNormEpsilon()),
                T5FeedForward.load(w.at("layer").at(1).at("DenseReluDense"), c),
                c.numHeads(), c.dKv());
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
        // T5LayerFF
        Tensor forwarded = ffNorm.forward(be, hiddenStates);
        return be.add(hiddenStates, denseReluDense.forward(be, forwarded));
    }

    /** [B, L, H·d_kv] → [B, H, L, d_kv]. */
    private Tensor splitHeads(Backend be, Tensor x, int b, int l) {
        return be.permute(x.reshape(b, l, heads, dKv), 0, 2, 1, 3);
    }
}
