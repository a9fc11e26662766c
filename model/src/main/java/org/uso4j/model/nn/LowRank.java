package org.uso4j.model.nn;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;

/**
 * A LoRA term {@code scale · up(down(x))} added to every output of a {@link Linear}: down [rank, in], up [out, rank],
 * no bias (USO's LoRALinearLayer; scale = lora_weight).
 */
public record LowRank(Tensor down, Tensor up, float scale) {
    public LowRank {
        if (down.rank() != 2 || up.rank() != 2 || up.dim(1) != down.dim(0)) {
            throw new IllegalArgumentException("LoRA down " + down.shape() + " and up " + up.shape() + " do not fit");
        }
    }

    public int rank() { return down.dim(0); }

    /** {@code scale · down(x)}: x [..., in] → [..., rank] (the scale applied on the narrow side). */
    Tensor scaledDown(Backend be, Tensor x) {
        return be.scale(be.linear(x, down, null), scale);
    }

    /** {@code up(scale · down(x))}: x [..., in] → [..., out]. */
    Tensor forward(Backend be, Tensor x) {
        return be.linear(scaledDown(be, x), up, null);
    }
}
