package org.uso4j.model.siglip;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.LayerNorm;
import org.uso4j.model.nn.MultiHeadSelfAttention;
import org.uso4j.model.nn.Weights;

/** transformers {@code SiglipEncoderLayer}: pre-LN attention and MLP, each with a residual. */
record SiglipEncoderLayer(LayerNorm layerNorm1, MultiHeadSelfAttention selfAttn, LayerNorm layerNorm2, SiglipMlp mlp) {
    static SiglipEncoderLayer load(Weights w, SiglipVisionConfig c) {
        int d = c.hiddenSize();
        return new SiglipEncoderLayer(LayerNorm.load(w.at("layer_norm1"), d, c.layerNormEps()),
                MultiHeadSelfAttention.load(w.at("self_attn"), d, c.numAttentionHeads(), false), // SiglipAttention
                LayerNorm.load(w.at("layer_norm2"), d, c.layerNormEps()),
                SiglipMlp.load(w.at("mlp"), c));
    }

    /** hidden_states [B, N, D] → [B, N, D]. */
    Tensor forward(Backend be, Tensor hiddenStates) {
        Tensor residual = hiddenStates;
        hiddenStates = be.add(residual, selfAttn.forward(be, layerNorm1.forward(be, hiddenStates)));
        residual = hiddenStates;
        return be.add(residual, mlp.forward(be, layerNorm2.forward(be, hiddenStates)));
    }
}
