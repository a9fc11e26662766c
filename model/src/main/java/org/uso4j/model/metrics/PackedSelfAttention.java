package org.uso4j.model.metrics;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.Linear;

/**
 * Multi-head self-attention with the q, k, v projections packed row-wise in one matrix [3W, W] (rows 0..W-1 = q,
 * W..2W-1 = k, 2W..3W-1 = v), heads contiguous chunks of {@code W / heads} features: PyTorch's
 * {@code nn.MultiheadAttention} as CLIP uses it ({@code attn.in_proj_weight}, {@code attn.out_proj}) and timm/DINO's
 * {@code Attention} ({@code attn.qkv}, {@code attn.proj}). Per head {@code softmax(q kᵀ / sqrt(head_dim) [+ causal
 * mask]) v}; heads concatenated back in order, then the output projection.
 */
public final class PackedSelfAttention {
    private final Linear qkv;
    private final Linear out;
    private final int heads;
    private final boolean causal;

    /** {@code qkv} [3W, W], {@code out} [W, W]; {@code causal}: query i sees keys j ≤ i (CLIP's text mask). */
    public PackedSelfAttention(Linear qkv, Linear out, int heads, boolean causal) {
        int w = out.out();
        if (qkv.out() != 3 * w || qkv.in() != w || out.in() != w) {
            throw new IllegalArgumentException("packed attention: qkv " + qkv.weight().shape() + " and out " + out.weight().shape()
                    + " do not form a [3W, W] / [W, W] pair");
        }
        if (heads <= 0 || w % heads != 0) throw new IllegalArgumentException("packed attention: width " + w + " is not divisible by " + heads + " heads");
        this.qkv = qkv;
        this.out = out;
        this.heads = heads;
        this.causal = causal;
    }

    public int heads() { return heads; }

    /** x [B, L, W] → [B, L, W]. */
    public Tensor forward(Backend be, Tensor x) {
        int b = x.dim(0), l = x.dim(1), w = out.out(), headDim = w / heads;
        // [B, L, 3W] → [B, L, 3, H, d] → [3, B, H, L, d]
        Tensor packed = be.permute(qkv.forward(be, x).reshape(b, l, 3, heads, headDim), 2, 0, 3, 1, 4);
        Tensor q = be.slice(packed, 0, 0, 1).reshape(b, heads, l, headDim);
        Tensor k = be.slice(packed, 0, 1, 2).reshape(b, heads, l, headDim);
        Tensor v = be.slice(packed, 0, 2, 3).reshape(b, heads, l, headDim);
        Tensor o = be.attention(q, k, v, (float) (1.0 / Math.sqrt(headDim)), null, causal); // [B, H, L, d]
        return out.forward(be, be.permute(o, 0, 2, 1, 3).reshape(b, l, w));
    }
}
