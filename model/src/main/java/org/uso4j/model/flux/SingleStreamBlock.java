package org.uso4j.model.flux;

import java.util.List;
import org.uso4j.core.RowBlocks;
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
    private final Linear linear1Qkv, linear1Mlp, linear2;
    private final Tensor linear1Weight, linear1Bias;
    private final QkNorm norm;
    private final LayerNorm preNorm = LayerNorm.plain(DoubleStreamBlock.LN_EPS);
    private final Modulation modulation;

    public SingleStreamBlock(Weights w, FluxConfig cfg) {
        this.hidden = cfg.hiddenSize();
        this.mlpHidden = cfg.mlpHidden();
        this.numHeads = cfg.numHeads();
        // qkv and mlp_in: one checkpoint tensor, used as two row blocks (zero-copy views) so that the two parts of
        // its output need no slicing; the math is the reference's split of linear1(x_mod). The views are cut on the
        // host and each handed to the backend
        this.linear1Weight = w.at("linear1").takeHost("weight", 3 * hidden + mlpHidden, hidden);
        this.linear1Bias = w.at("linear1").takeHost("bias", 3 * hidden + mlpHidden);
        this.linear1Qkv = new Linear(w.adopt(RowBlocks.rows(linear1Weight, 0, 3 * hidden)), w.adopt(RowBlocks.rows(linear1Bias, 0, 3 * hidden)));
        this.linear1Mlp = new Linear(w.adopt(RowBlocks.rows(linear1Weight, 3 * hidden, 3 * hidden + mlpHidden)),
                w.adopt(RowBlocks.rows(linear1Bias, 3 * hidden, 3 * hidden + mlpHidden)));
        // proj and mlp_out
        this.linear2 = Linear.load(w.at("linear2"), hidden + mlpHidden, hidden, true);
        this.norm = new QkNorm(w.at("norm"), hidden / numHeads);
        this.modulation = new Modulation(w.at("modulation"), hidden, false);
    }

    /** The q/k/v rows of {@code linear1} (where USO's {@code qkv_lora} adds its term). */
    public Linear linear1Qkv() { return linear1Qkv; }

    /** The whole {@code linear1} as stored, on the host (for kernel benchmarks; the forward uses its two adopted row blocks). */
    public Linear linear1() { return new Linear(linear1Weight, linear1Bias); }
    public Linear linear2() { return linear2; }

    /** x [B, L, hidden] (txt then image tokens), vec [B, hidden], pe over L → [B, L, hidden]. */
    public Tensor forward(Backend be, Tensor x, Tensor vec, Tensor pe) {
        Modulation.Out mod = modulation.forward(be, vec)[0];
        Tensor xMod = be.modulate(preNorm.forward(be, x), mod.shift(), mod.scale());
        // torch.split(linear1(x_mod), [3h, mlp]); the mlp half leaves with its GELU applied (the reference's mlp_act)
        Tensor qkv = linear1Qkv.forward(be, xMod), mlpAct = linear1Mlp.forward(be, xMod, Activation.GELU_TANH);

        Tensor[] heads = FluxAttention.splitQkv(be, qkv, numHeads);
        Tensor[] qk = norm.forward(be, heads[0], heads[1]);

        // compute attention
        Tensor attn = FluxAttention.attention(be, qk[0], qk[1], heads[2], pe);
        // compute activation in mlp stream, cat again and run second linear layer
        Tensor output = linear2.forward(be, be.concat(2, List.of(attn, mlpAct)));
        return be.addGated(x, mod.gate(), output);
    }

    public Modulation modulation() { return modulation; }
}
