package org.uso4j.model.flux;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.LayerNorm;
import org.uso4j.model.nn.Linear;
import org.uso4j.model.nn.Weights;

/** flux {@code LastLayer}: {@code shift, scale = adaLN_modulation(vec).chunk(2)} (shift first), {@code linear((1+scale)·LN(x)+shift)}. */
public final class LastLayer {
    private final LayerNorm normFinal = LayerNorm.plain(DoubleStreamBlock.LN_EPS);
    private final Linear linear;
    private final Linear adaLnModulation;
    private final int hidden;

    public LastLayer(Weights w, int hidden, int outChannels) {
        this.hidden = hidden;
        this.linear = Linear.load(w.at("linear"), hidden, outChannels, true);
        this.adaLnModulation = Linear.load(w.at("adaLN_modulation").at(1), hidden, 2 * hidden, true);
    }

    /** x [B, L, hidden], vec [B, hidden] → [B, L, out]. */
    public Tensor forward(Backend be, Tensor x, Tensor vec) {
        Tensor mod = adaLnModulation.forward(be, be.activate(vec, Activation.SILU));
        Tensor shift = be.slice(mod, 1, 0, hidden), scale = be.slice(mod, 1, hidden, 2 * hidden);
        return linear.forward(be, be.modulate(normFinal.forward(be, x), shift, scale));
    }
}
