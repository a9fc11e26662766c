package org.uso4j.model.flux;

import java.util.List;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.LayerNorm;
import org.uso4j.model.nn.Linear;
import org.uso4j.model.nn.Weights;

/**
 * flux {@code DoubleStreamBlock} with USO's {@code DoubleStreamBlockLoraProcessor} semantics: the LoRA terms
 * ({@code qkv_lora1/2}, {@code proj_lora1/2}) live inside the {@code qkv}/{@code proj} Linears (see UsoLora).
 */
public final class DoubleStreamBlock {
    static final float LN_EPS = 1e-6f;

    private final Modulation imgMod, txtMod;
    private final LayerNorm imgNorm1, imgNorm2, txtNorm1, txtNorm2;
    private final SelfAttention imgAttn, txtAttn;
    private final Linear imgMlp0, imgMlp2, txtMlp0, txtMlp2;

    public DoubleStreamBlock(Weights w, FluxConfig cfg) {
        int hidden = cfg.hiddenSize(), mlp = cfg.mlpHidden();
        this.imgMod = new Modulation(w.at("img_mod"), hidden, true);
        this.imgNorm1 = LayerNorm.plain(LN_EPS);
        this.imgAttn = new SelfAttention(w.at("img_attn"), hidden, cfg.numHeads(), cfg.qkvBias());
        this.imgNorm2 = LayerNorm.plain(LN_EPS);
        this.imgMlp0 = Linear.load(w.at("img_mlp").at(0), hidden, mlp, true);
        this.imgMlp2 = Linear.load(w.at("img_mlp").at(2), mlp, hidden, true);

        this.txtMod = new Modulation(w.at("txt_mod"), hidden, true);
        this.txtNorm1 = LayerNorm.plain(LN_EPS);
        this.txtAttn = new SelfAttention(w.at("txt_attn"), hidden, cfg.numHeads(), cfg.qkvBias());
        this.txtNorm2 = LayerNorm.plain(LN_EPS);
        this.txtMlp0 = Linear.load(w.at("txt_mlp").at(0), hidden, mlp, true);
        this.txtMlp2 = Linear.load(w.at("txt_mlp").at(2), mlp, hidden, true);
    }

    public SelfAttention imgAttn() { return imgAttn; }
    public SelfAttention txtAttn() { return txtAttn; }

    /** img [B, L_img, hidden], txt [B, L_txt, hidden], vec [B, hidden], pe over cat(txt, img) → {img, txt}. */
    public Tensor[] forward(Backend be, Tensor img, Tensor txt, Tensor vec, Tensor pe) {
        Modulation.Out[] imgMods = imgMod.forward(be, vec), txtMods = txtMod.forward(be, vec);
        Modulation.Out imgMod1 = imgMods[0], imgMod2 = imgMods[1], txtMod1 = txtMods[0], txtMod2 = txtMods[1];

        // prepare image for attention
        Tensor imgModulated = be.modulate(imgNorm1.forward(be, img), imgMod1.shift(), imgMod1.scale());
        Tensor[] imgQkv = imgAttn.qkvHeads(be, imgModulated);

        // prepare txt for attention
        Tensor txtModulated = be.modulate(txtNorm1.forward(be, txt), txtMod1.shift(), txtMod1.scale());
        Tensor[] txtQkv = txtAttn.qkvHeads(be, txtModulated);

        // run actual attention (txt tokens first)
        Tensor q = be.concat(2, List.of(txtQkv[0], imgQkv[0]));
        Tensor k = be.concat(2, List.of(txtQkv[1], imgQkv[1]));
        Tensor v = be.concat(2, List.of(txtQkv[2], imgQkv[2]));
        Tensor attn = FluxAttention.attention(be, q, k, v, pe);
        int lTxt = txt.dim(1);
        Tensor txtAttnOut = be.slice(attn, 1, 0, lTxt), imgAttnOut = be.slice(attn, 1, lTxt, attn.dim(1));

        // calculate the img blocks
        img = be.addGated(img, imgMod1.gate(), imgAttn.proj.forward(be, imgAttnOut));
        img = be.addGated(img, imgMod2.gate(), mlp(be, imgMlp0, imgMlp2,
                be.modulate(imgNorm2.forward(be, img), imgMod2.shift(), imgMod2.scale())));

        // calculate the txt blocks
        txt = be.addGated(txt, txtMod1.gate(), txtAttn.proj.forward(be, txtAttnOut));
        txt = be.addGated(txt, txtMod2.gate(), mlp(be, txtMlp0, txtMlp2,
                be.modulate(txtNorm2.forward(be, txt), txtMod2.shift(), txtMod2.scale())));
        return new Tensor[]{img, txt};
    }

    /** {@code Sequential(Linear, GELU(approximate="tanh"), Linear)}. */
    static Tensor mlp(Backend be, Linear l0, Linear l2, Tensor x) {
        return l2.forward(be, l0.forward(be, x, Activation.GELU_TANH));
    }

    /** The MLP of the image stream alone (for layer tests). */
    public Tensor imgMlp(Backend be, Tensor x) { return mlp(be, imgMlp0, imgMlp2, x); }

    public Modulation imgModulation() { return imgMod; }
}
