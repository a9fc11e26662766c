package org.uso4j.model.flux;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.Linear;
import org.uso4j.model.nn.Weights;

/** flux {@code SelfAttention} parameters: {@code qkv} Linear, {@code norm} QKNorm, {@code proj} Linear. */
public final class SelfAttention {
    final Linear qkv;
    final QkNorm norm;
    final Linear proj;
    final int numHeads;

    public SelfAttention(Weights w, int dim, int numHeads, boolean qkvBias) {
        this.numHeads = numHeads;
        this.qkv = Linear.load(w.at("qkv"), dim, 3 * dim, qkvBias);
        this.norm = new QkNorm(w.at("norm"), dim / numHeads);
        this.proj = Linear.load(w.at("proj"), dim, dim, true);
    }

    public Linear qkv() { return qkv; }
    public Linear proj() { return proj; }
    public QkNorm norm() { return norm; }

    /** x_mod [B, L, dim] → {q, k, v} [B, H, L, D] with q and k RMS-normalised. */
    Tensor[] qkvHeads(Backend be, Tensor xMod) {
        Tensor[] qkvHeads = FluxAttention.splitQkv(be, qkv.forward(be, xMod), numHeads);
        Tensor[] qk = norm.forward(be, qkvHeads[0], qkvHeads[1]);
        return new Tensor[]{qk[0], qk[1], qkvHeads[2]};
    }
}
