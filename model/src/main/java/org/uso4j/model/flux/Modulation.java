package org.uso4j.model.flux;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.Linear;
import org.uso4j.model.nn.Weights;

/** flux {@code Modulation}: {@code lin(silu(vec))} chunked into (shift, scale, gate), twice when double. */
public final class Modulation {
    /** One (shift, scale, gate) triple, each [B, hidden]. */
    public record Out(Tensor shift, Tensor scale, Tensor gate) {}

    private final Linear lin;
    private final int multiplier;
    private final int dim;

    public Modulation(Weights w, int dim, boolean isDouble) {
        this.dim = dim;
        this.multiplier = isDouble ? 6 : 3;
        this.lin = Linear.load(w.at("lin"), dim, multiplier * dim, true);
    }

    /** vec [B, hidden] → mod1 (and mod2 when double, else null): chunks 0..2 and 3..5 of the output. */
    public Out[] forward(Backend be, Tensor vec) {
        Tensor out = lin.forward(be, be.activate(vec, Activation.SILU));
        Tensor[] c = new Tensor[multiplier];
        for (int i = 0; i < multiplier; i++) c[i] = be.slice(out, 1, i * dim, (i + 1) * dim);
        Out mod1 = new Out(c[0], c[1], c[2]);
        return multiplier == 6 ? new Out[]{mod1, new Out(c[3], c[4], c[5])} : new Out[]{mod1, null};
    }
}
