package org.uso4j.core.backend.cpu.attention;

import org.uso4j.core.Tensor;

/**
 * The sizes of one attention call: q {@code [B, H, Lq, D]}, k {@code [B, H, Lk, D]}, v {@code [B, H, Lk, Dv]},
 * output {@code [B, H, Lq, Dv]}.
 */
public record AttentionShape(int batch, int heads, int lq, int lk, int d, int dv) {
    /** The shape of checked q, k, v tensors. */
    public static AttentionShape of(Tensor q, Tensor k, Tensor v) {
        return new AttentionShape(q.dim(0), q.dim(1), q.dim(2), k.dim(2), q.dim(3), v.dim(3));
    }

    /** Batch × heads: the independent (batch, head) pairs. */
    public int bh() { return batch * heads; }

    /** Floats of the output. */
    public int outFloats() { return Math.multiplyExact(Math.multiplyExact(bh(), lq), dv); }
}
