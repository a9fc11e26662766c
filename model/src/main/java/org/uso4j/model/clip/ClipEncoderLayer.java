package org.uso4j.model.clip;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.LayerNorm;
import org.uso4j.model.nn.Linear;
import org.uso4j.model.nn.MultiHeadSelfAttention;
import org.uso4j.model.nn.Weights;

/** transformers {@code CLIPEncoderLayer}: pre-LN causal attention and MLP ({@code fc2(act(fc1 x))}), each with a residual. */
final class ClipEncoderLayer {
    private final LayerNorm layerNorm1, layerNorm2;
    private final MultiHeadSelfAttention selfAttn; // CLIPAttention, causal
    private final Linear fc1, fc2;
    private final Activation act;

    private ClipEncoderLayer(LayerNorm layerNorm1, MultiHeadSelfAttention selfAttn, LayerNorm layerNorm2, Linear fc1, Linear fc2, Activation act) {
        this.layerNorm1 = layerNorm1;
        this.selfAttn = selfAttn;
        this.layerNorm2 = layerNorm2;
        this.fc1 = fc1;
        this.fc2 = fc2;
        this.act = act;
    }

    static ClipEncoderLayer load(Weights w, ClipTextConfig c) {
        int d = c.hiddenSize(), i = c.intermediateSize();
        return new ClipEncoderLayer(LayerNorm.load(w.at("layer_norm1"), d, c.layerNormEps()),
                MultiHeadSelfAttention.load(w.at("self_attn"), d, c.numAttentionHeads(), true),
                LayerNorm.load(w.at("layer_norm2"), d, c.layerNormEps()),
                Linear.load(w.at("mlp").at("fc1"), d, i, true),
                Linear.load(w.at("mlp").at("fc2"), i, d, true),
                c.activation());
    }

    /** hidden_states [B, L, D] → [B, L, D]. */
    Tensor forward(Backend be, Tensor hiddenStates) {
        Tensor residual = hiddenStates;
        hiddenStates = be.add(residual, selfAttn.forward(be, layerNorm1.forward(be, hiddenStates)));
        residual = hiddenStates;
        Tensor mlp = fc2.forward(be, be.activate(fc1.forward(be, layerNorm2.forward(be, hiddenStates)), act)); // CLIPMLP
        return be.add(residual, mlp);
    }
}
