package org.uso4j.model.siglip;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.Linear;
import org.uso4j.model.nn.Weights;

/** transformers {@code SiglipMLP}: {@code fc2(act(fc1(x)))}, act = hidden_act (gelu_pytorch_tanh). */
record SiglipMlp(Linear fc1, Linear fc2, Activation act) {
    static SiglipMlp load(Weights w, SiglipVisionConfig c) {
        return new SiglipMlp(Linear.load(w.at("fc1"), c.hiddenSize(), c.intermediateSize(), true),
                Linear.load(w.at("fc2"), c.intermediateSize(), c.hiddenSize(), true), c.activation());
    }

    /** [..., D] → [..., D]. */
    Tensor forward(Backend be, Tensor x) {
        return fc2.forward(be, be.activate(fc1.forward(be, x), act));
    }
}
