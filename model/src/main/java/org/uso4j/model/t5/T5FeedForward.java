package org.uso4j.model.t5;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.Linear;
import org.uso4j.model.nn.Weights;

/**
 * The {@code DenseReluDense} module of {@code T5LayerFF}: transformers picks {@code T5DenseGatedActDense}
 * (T5 v1.1: {@code wo(act(wi_0 x) ⊙ wi_1 x)}) when {@code is_gated_act}, else {@code T5DenseActDense}
 * (original T5: {@code wo(act(wi x))}). No biases.
 */
sealed interface T5FeedForward {
    /** [..., d_model] → [..., d_model]. */
    Tensor forward(Backend be, Tensor hiddenStates);

    static T5FeedForward load(Weights w, T5Config c) {
        int d = c.dModel(), ff = c.dFf();
        return c.isGatedAct()
                ? new Gated(Linear.load(w.at("wi_0"), d, ff, false), Linear.load(w.at("wi_1"), d, ff, false),
                        Linear.load(w.at("wo"), ff, d, false), c.activation())
                : new Plain(Linear.load(w.at("wi"), d, ff, false), Linear.load(w.at("wo"), ff, d, false), c.activation());
    }

    /** {@code T5DenseGatedActDense}. */
    record Gated(Linear wi0, Linear wi1, Linear wo, Activation act) implements T5FeedForward {
        @Override public Tensor forward(Backend be, Tensor hiddenStates) {
            Tensor hiddenGelu = be.activate(wi0.forward(be, hiddenStates), act);
            Tensor hiddenLinear = wi1.forward(be, hiddenStates);
            return wo.forward(be, be.mul(hiddenGelu, hiddenLinear));
        }
    }

    /** {@code T5DenseActDense}. */
    record Plain(Linear wi, Linear wo, Activation act) implements T5FeedForward {
        @Override public Tensor forward(Backend be, Tensor hiddenStates) {
            return wo.forward(be, be.activate(wi.forward(be, hiddenStates), act));
        }
    }
}
