package org.uso4j.model.metrics.clip;

import java.util.ArrayList;
import java.util.List;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.LayerNorm;
import org.uso4j.model.nn.Weights;

/**
 * clip/model.py {@code CLIP.encode_text} (@ d05afc43): token_embedding + positional_embedding, the causal
 * resblocks, ln_final, then the row at {@code argmax(tokens)} (the first position of the largest id: the EOT)
 * {@code @ text_projection}.
 */
final class ClipTextTransformer {
    private final ClipConfig config;
    private final Tensor tokenEmbedding;      // [vocab, W]
    private final Tensor positionalEmbedding; // [context, W] float32
    private final List<ResidualAttentionBlock> resblocks;
    private final LayerNorm lnFinal;
    private final Tensor textProjection;      // [W, embed_dim]

    private ClipTextTransformer(ClipConfig config, Tensor tokenEmbedding, Tensor positionalEmbedding,
            List<ResidualAttentionBlock> resblocks, LayerNorm lnFinal, Tensor textProjection) {
        this.config = config;
        this.tokenEmbedding = tokenEmbedding;
        this.positionalEmbedding = positionalEmbedding;
        this.resblocks = List.copyOf(resblocks);
        this.lnFinal = lnFinal;
        this.textProjection = textProjection;
    }

    /** {@code w} = the root of the CLIP state dict. */
    static ClipTextTransformer load(Weights w, ClipConfig c) {
        int width = c.transformerWidth();
        Tensor tok = w.at("token_embedding").take("weight", c.vocabSize(), width);
        Tensor pos = w.adopt(w.takeHost("positional_embedding", c.contextLength(), width).toF32());
        List<ResidualAttentionBlock> blocks = new ArrayList<>();
        Weights rb = w.at("transformer").at("resblocks");
        for (int i = 0; i < c.transformerLayers(); i++) {
            blocks.add(ResidualAttentionBlock.load(rb.at(i), width, c.transformerHeads(), c.layerNormEps(), true));
        }
        LayerNorm lnFinal = LayerNorm.load(w.at("ln_final"), width, c.layerNormEps());
        Tensor proj = w.take("text_projection", width, c.embedDim());
        return new ClipTextTransformer(c, tok, pos, blocks, lnFinal, proj);
    }

    /** tokens [B][context] → (block outputs [B, context, W] each, text features [B, embed_dim]). */
    Result forward(Backend be, long[][] tokens) {
        int b = tokens.length, l = config.contextLength(), width = config.transformerWidth();
        long[] flat = new long[b * l];
        for (int i = 0; i < b; i++) {
            if (tokens[i].length != l) throw new IllegalArgumentException("CLIP tokens row " + i + " has " + tokens[i].length + " ids, expected " + l);
            for (int j = 0; j < l; j++) {
                if (tokens[i][j] < 0 || tokens[i][j] >= config.vocabSize()) {
                    throw new IllegalArgumentException("CLIP token [" + i + "][" + j + "] = " + tokens[i][j] + " is outside the vocabulary of " + config.vocabSize());
                }
            }
            System.arraycopy(tokens[i], 0, flat, i * l, l);
        }
        Tensor x = be.add(be.embedding(tokenEmbedding, flat).reshape(b, l, width), positionalEmbedding);
        List<Tensor> outs = new ArrayList<>(resblocks.size());
        for (ResidualAttentionBlock block : resblocks) {
            x = block.forward(be, x);
            outs.add(x);
        }
        x = lnFinal.forward(be, x);
        // x[arange(B), tokens.argmax(dim=-1)] @ text_projection
        List<Tensor> rows = new ArrayList<>(b);
        for (int i = 0; i < b; i++) rows.add(be.slice(be.slice(x, 0, i, i + 1), 1, argmax(tokens[i]), argmax(tokens[i]) + 1).reshape(1, width));
        return new Result(outs, be.matmul(be.concat(0, rows), textProjection, false));
    }

    record Result(List<Tensor> blocks, Tensor features) {}

    /** torch.argmax: the first position holding the largest value. */
    static int argmax(long[] ids) {
        int best = 0;
        for (int i = 1; i < ids.length; i++) if (ids[i] > ids[best]) best = i;
        return best;
    }
}
