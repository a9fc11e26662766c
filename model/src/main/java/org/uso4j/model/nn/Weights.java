package org.uso4j.model.nn;

import java.util.Optional;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;
import org.uso4j.core.io.WeightStore;

/**
 * A prefixed view of a {@link WeightStore}, like candle's {@code vb.pp}: {@code w.at("double_blocks").at(3)
 * .take("img_attn.qkv.weight", 3 * h, h)} takes {@code double_blocks.3.img_attn.qkv.weight}. Checkpoint keys
 * appear once, as literals, where the field they fill is built.
 */
public final class Weights {
    private final WeightStore store;
    private final String prefix;

    public Weights(WeightStore store) { this(store, ""); }

    private Weights(WeightStore store, String prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    public Weights at(String name) { return new Weights(store, prefix + name + "."); }

    public Weights at(int index) { return at(Integer.toString(index)); }

    public String key(String name) { return prefix + name; }

    /** The tensor {@code prefix + name}, which must have {@code shape} (-1 = any). */
    public Tensor take(String name, int... shape) { return store.take(key(name), shape); }

    /** The tensor as stored, for a weight derived on the host at load; hand the result to {@link #adopt}. */
    public Tensor takeHost(String name, int... shape) { return store.takeHost(key(name), shape); }

    /** A weight derived on the host at load, handed to the store's adopter (the backend). */
    public Tensor adopt(Tensor derived) { return store.adopt(derived); }

    public Optional<Tensor> takeIfPresent(String name, int... shape) { return store.takeIfPresent(key(name), shape); }

    public boolean has(String name) { return store.has(key(name)); }

    public Optional<Shape> shapeOf(String name) { return store.shapeOf(key(name)); }

    public WeightStore store() { return store; }
}
