package org.uso4j.model.flux;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.Linear;
import org.uso4j.model.nn.Weights;

/** flux {@code MLPEmbedder}: {@code out_layer(silu(in_layer(x)))}. */
public final class MlpEmbedder {
    private final Linear inLayer;
    private final Linear outLayer;

    public MlpEmbedder(Weights w, int inDim, int hiddenDim) {
        this.inLayer = Linear.load(w.at("in_layer"), inDim, hiddenDim, true);
        this.outLayer = Linear.load(w.at("out_layer"), hiddenDim, hiddenDim, true);
    }

    /** x [B, inDim] → [B, hidden]. */
    public Tensor forward(Backend be, Tensor x) {
        return outLayer.forward(be, be.activate(inLayer.forward(be, x), Activation.SILU));
    }
}
