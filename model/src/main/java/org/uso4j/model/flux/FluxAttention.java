package org.uso4j.model.flux;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;

/** flux {@code math.py}: {@code attention(q, k, v, pe)} and the qkv head split. */
public final class FluxAttention {
    private FluxAttention() {}

    /** {@code rearrange(qkv, "B L (K H D) -> K B H L D", K=3)}: qkv [B, L, 3·H·D] → {q, k, v} each [B, H, L, D]. */
    public static Tensor[] splitQkv(Backend be, Tensor qkv, int heads) {
        int b = qkv.dim(0), l = qkv.dim(1), d = qkv.dim(2) / (3 * heads);
        Tensor kbhld = be.permute(qkv.reshape(b, l, 3, heads, d), 2, 0, 3, 1, 4); // [3, B, H, L, D]
        Tensor[] out = new Tensor[3];
        for (int i = 0; i < 3; i++) out[i] = be.slice(kbhld, 0, i, i + 1).reshape(b, heads, l, d);
        return out;
    }

    /** RoPE on q and k, scaled dot-product attention, heads merged: → [B, L, H·D]. */
    public static Tensor attention(Backend be, Tensor q, Tensor k, Tensor v, Tensor pe) {
        q = be.rope(q, pe);
        k = be.rope(k, pe);
        int b = q.dim(0), h = q.dim(1), l = q.dim(2), d = q.dim(3);
        Tensor x = be.attention(q, k, v, (float) (1.0 / Math.sqrt(d)), null, false); // [B, H, L, D]
        return be.permute(x, 0, 2, 1, 3).reshape(b, l, h * d);                       // "B H L D -> B L (H D)"
    }
}
