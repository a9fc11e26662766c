package org.uso4j.model.flux;

import java.util.List;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.LayerNorm;
import org.uso4j.model.nn.Linear;
import org.uso4j.model.nn.Weights;

/**
 * flux {@code SingleStreamBlock} (parallel attention + MLP) with USO's {@code SingleStreamBlockLoraProcessor}
 * semantics: {@code qkv_lora} adds to the first 3·hidden outputs of {@code linear1}, {@code proj_lora} to
 * {@code linear2} (see UsoLora).
 */
public final class SingleStreamBlock {
    private final int hidden, mlpHidden, numHeads;
    private final Linear linear1, linear2;
    private final QkNorm norm;
    private final LayerNorm preNorm = LayerNorm.plain(DoubleStreamBlock.LN_EPS);
    private final Modulation modulation;

    public SingleStreamBlock(Weights w, FluxConfig cfg) {
        this.hidden = cfg.hiddenSize();
        this.mlpHidden = cfg.mlpHidden();
        this.numHeads = cfg.numHeads();
        // qkv and mlp_in
        this.linear1 = Linear.load(w.at("linear1"), hidden, 3 * hidden + mlpHidden, true);
        // proj and mlp_out
        this.linear2 = Linear.load(w.at("linear2"), hidden + mlpHidden, hidden, true);
        this.norm = new QkNorm(w.at("norm"), hidden / numHeads);
        this.modulation = new Modulation(w.at("modulation"), hidden, false);
    }

    public Linear linear1() { return linear1; }
    public Linear linear2() { return linear2; }

    /** x [B, L, hidden] (txt then image tokens), vec [B, hidden], pe over L → [B, L, hidden]. */
    public Tensor forward(Backend be, Tensor x, Tensor vec, Tensor pe) {
        Modulation.Out mod = modulation.forward(be, vec)[0];
        Tensor xMod = be.modulate(preNorm.forward(be, x), mod.shift(), mod.scale());
        Tensor lin1 = linear1.forward(be, xMod);
        Tensor qkv = be.slice(lin1, 2, 0, 3 * hidden), mlp = be.slice(lin1, 2, 3 * hidden, 3 * hidden + mlpHidden);

        Tensor[] heads = FluxAttention.splitQkv(be, qkv, numHeads);
        Tensor[] qk = norm.forward(be, heads[0], heads[1]);

        // compute attention
        Tensor attn = FluxAttention.attention(be, qk[0], qk[1], heads[2], pe);
        // compute activation in mlp stream, cat again and run second linear layer
        Tensor output = linear2.forward(be, be.concat(2, List.of(attn, be.activate(mlp, Activation.GELU_TANH))));
        return be.addGated(x, mod.gate(), output);
    }

    public Modulation modulation() { return modulation; }
}
