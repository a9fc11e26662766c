package org.uso4j.model.siglip;

import static org.uso4j.model.nn.MultiHeadSelfAttention.mergeHeads;
import static org.uso4j.model.nn.MultiHeadSelfAttention.splitHeads;

import java.util.Collections;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.LayerNorm;
import org.uso4j.model.nn.Linear;
import org.uso4j.model.nn.Weights;

/**
 * transformers {@code SiglipMultiheadAttentionPoolingHead} (the "MAP" head giving pooler_output): a learned query
 * {@code probe} attends over last_hidden_state through {@code torch.nn.MultiheadAttention} (q/k/v packed in
 * {@code in_proj_weight [3D, D]}: rows [0,D) W_q, [D,2D) W_k, [2D,3D) W_v; bias likewise), then
 * {@code x = attn + mlp(layernorm(attn))}; pooler_output = {@code x[:, 0]}.
 */
final class SiglipPoolingHead {
    private final Tensor probe; // [1, 1, D]
    private final Linear q, k, v, outProj;
    private final LayerNorm layernorm;
    private final SiglipMlp mlp;
    private final int heads, headDim;

    private SiglipPoolingHead(Tensor probe, Linear q, Linear k, Linear v, Linear outProj, LayerNorm layernorm,
            SiglipMlp mlp, int heads, int headDim) {
        this.probe = probe;
        this.q = q;
        this.k = k;
        this.v = v;
        this.outProj = outProj;
        this.layernorm = layernorm;
        this.mlp = mlp;
        this.heads = heads;
        this.headDim = headDim;
    }

    static SiglipPoolingHead load(Weights w, SiglipVisionConfig c) {
        int d = c.hiddenSize();
        Weights attention = w.at("attention");
        Tensor inProjWeight = attention.takeHost("in_proj_weight", 3 * d, d);
        Tensor inProjBias = attention.takeHost("in_proj_bias", 3 * d);
        return new SiglipPoolingHead(w.adopt(w.takeHost("probe", 1, 1, d).toF32()),
                new Linear(attention.adopt(rows(inProjWeight, 0, d)), attention.adopt(rows(inProjBias, 0, d))),
                new Linear(attention.adopt(rows(inProjWeight, d, d)), attention.adopt(rows(inProjBias, d, d))),
                new Linear(attention.adopt(rows(inProjWeight, 2 * d, d)), attention.adopt(rows(inProjBias, 2 * d, d))),
                Linear.load(attention.at("out_proj"), d, d, true),
                LayerNorm.load(w.at("layernorm"), d, c.layerNormEps()),
                SiglipMlp.load(w.at("mlp"), c),
                c.numAttentionHeads(), c.headDim());
    }

    /** Rows {@code [first, first + count)} of a packed weight [3D, ...] (or bias [3D]) as a view, any stored dtype. */
    private static Tensor rows(Tensor packed, int first, int count) {
        long rowElems = packed.numel() / packed.dim(0);
        int[] dims = packed.dims();
        dims[0] = count;
        long offset = packed.dtype().byteSize(first * rowElems), bytes = packed.dtype().byteSize(count * rowElems);
        return Tensor.of(packed.dtype(), Shape.of(dims), packed.segment().asSlice(offset, bytes));
    }

    /** last_hidden_state [B, N, D] → pooler_output [B, D]. */
    Tensor forward(Backend be, Tensor hiddenState) {
        int b = hiddenState.dim(0), n = hiddenState.dim(1), d = hiddenState.dim(2);
        Tensor query = be.concat(0, Collections.nCopies(b, probe));     // probe.repeat(B, 1, 1): [B, 1, D]
        Tensor qh = splitHeads(be, q.forward(be, query), b, 1, heads, headDim);   // [B, H, 1, d]
        Tensor kh = splitHeads(be, k.forward(be, hiddenState), b, n, heads, headDim);
        Tensor vh = splitHeads(be, v.forward(be, hiddenState), b, n, heads, headDim);
        Tensor attn = be.attention(qh, kh, vh, (float) Math.pow(headDim, -0.5), null, false);
        hiddenState = outProj.forward(be, mergeHeads(be, attn, b, 1));             // [B, 1, D]
        Tensor residual = hiddenState;
        hiddenState = be.add(residual, mlp.forward(be, layernorm.forward(be, hiddenState)));
        return hiddenState.reshape(b, d);                                                         // [:, 0]
    }
}
