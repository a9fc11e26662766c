package org.uso4j.model.nn;

import java.util.ArrayList;
import java.util.List;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.Backend;

/**
 * {@code y = x Wᵀ + b} with W [out, in] in any stored dtype (the backend decodes it in the kernel), plus any
 * number of {@link LowRank} terms. One class whatever the weight format: there is no quantized twin.
 */
public final class Linear {
    private final Tensor weight;
    private final Tensor bias;
    private final List<LowRank> lora = new ArrayList<>();

    public Linear(Tensor weight, Tensor bias) {
        this.weight = weight;
        this.bias = bias;
    }

    /** {@code w.take("weight", out, in)} and, if {@code withBias}, {@code w.take("bias", out)}. */
    public static Linear load(Weights w, int in, int out, boolean withBias) {
        return new Linear(w.take("weight", out, in), withBias ? w.take("bias", out) : null);
    }

    public int in() { return weight.dim(1); }
    public int out() { return weight.dim(0); }
    public Tensor weight() { return weight; }
    public Tensor bias() { return bias; }

    /** Adds a LoRA term; its input size must be {@link #in()} and its output size {@link #out()}. */
    public Linear addLora(LowRank term) {
        if (term.down().dim(1) != in() || term.up().dim(0) != out()) {
            throw new IllegalArgumentException("LoRA down " + term.down().shape() + " / up " + term.up().shape()
                    + " does not fit Linear " + weight.shape());
        }
        lora.add(term);
        return this;
    }

    public List<LowRank> lora() { return List.copyOf(lora); }

    /** Removes every LoRA term (before attaching them again with another weight). */
    public void clearLora() { lora.clear(); }

    /** {@code act(forward(x))}, the activation applied as the output is written where the backend can. */
    public Tensor forward(Backend be, Tensor x, Activation act) {
        return lora.isEmpty() ? be.linear(x, weight, bias, act) : be.activate(forward(be, x), act);
    }

    /** x [..., in] → [..., out]; the first LoRA term's up-projection is summed inside the layer's own product. */
    public Tensor forward(Backend be, Tensor x) {
        if (lora.isEmpty()) return be.linear(x, weight, bias);
        LowRank first = lora.get(0);
        Tensor y = be.linearLowRank(x, weight, bias, first.scaledDown(be, x), first.up());
        for (LowRank l : lora.subList(1, lora.size())) y = be.add(y, l.forward(be, x));
        return y;
    }
}
