package org.uso4j.model.uso;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.io.WeightStore;
import org.uso4j.model.nn.LayerNorm;
import org.uso4j.model.nn.Linear;
import org.uso4j.model.nn.Weights;

/**
 * USO's {@code SigLIPMultiFeatProjModel} (the {@code feature_embedder} of {@code uso/flux/model.py}): for each feature
 * level, a token-mixing Linear (siglip tokens → style tokens) + SiLU over the transposed hidden states, a LayerNorm
 * over the SigLIP width (eps 1e-5, PyTorch's default; absent when the model was built without
 * {@code context_layer_norm}) and a projection to the FLUX width; the levels are concatenated high, mid, low.
 */
public final class StyleProjector {
    /** LayerNorm eps of the projector (nn.LayerNorm default), not FLUX's 1e-6. */
    static final float LN_EPS = 1e-5f;

    private record Branch(Linear embeddingLinear, LayerNorm layerNorm, Linear projection) {}

    private final ProjectorConfig cfg;
    private final Map<StyleFeatureLevel, Branch> branches = new EnumMap<>(StyleFeatureLevel.class);

    /** Takes {@code feature_embedder.*} from {@code store}. */
    public StyleProjector(WeightStore store) {
        this(store, ProjectorConfig.fromWeights(store, "feature_embedder."));
    }

    public StyleProjector(WeightStore store, ProjectorConfig cfg) {
        this.cfg = cfg;
        Weights w = new Weights(store).at("feature_embedder");
        for (StyleFeatureLevel level : StyleFeatureLevel.values()) {
            String p = level.keyPrefix();
            Linear emb = Linear.load(w.at(p + "_embedding_linear").at(0), cfg.siglipTokenNums(), cfg.styleTokenNums(), true);
            LayerNorm ln = w.has(p + "_layer_norm.weight") ? LayerNorm.load(w.at(p + "_layer_norm"), cfg.siglipTokenDims(), LN_EPS) : null;
            Linear proj = Linear.load(w.at(p + "_projection"), cfg.siglipTokenDims(), cfg.hiddenSize(), true);
            branches.put(level, new Branch(emb, ln, proj));
        }
    }

    public ProjectorConfig config() { return cfg; }

    /**
     * hiddenStates: SigLIP hidden states of one image (or a batch), each [B, siglip tokens, siglip dims], indexed by
     * level → style tokens [B, 3 · style tokens, hidden], levels in order high, mid, low.
     */
    public Tensor forward(Backend be, Map<StyleFeatureLevel, Tensor> hiddenStates) {
        List<Tensor> out = new ArrayList<>();
        for (StyleFeatureLevel level : StyleFeatureLevel.values()) {
            Tensor h = hiddenStates.get(level);
            if (h == null) throw new IllegalArgumentException("missing SigLIP hidden state " + level.hiddenStateIndex());
            if (h.rank() != 3 || h.dim(1) != cfg.siglipTokenNums() || h.dim(2) != cfg.siglipTokenDims()) {
                throw new IllegalArgumentException("SigLIP hidden state " + level.hiddenStateIndex() + " must be [B, "
                        + cfg.siglipTokenNums() + ", " + cfg.siglipTokenDims() + "], got " + h.shape());
            }
            out.add(processLayerFeatures(be, h.toF32(), branches.get(level)));
        }
        return be.concat(1, out);
    }

    /** {@code projection(layer_norm(embedding_linear(h.transpose(1, 2)).transpose(1, 2)))}. */
    private static Tensor processLayerFeatures(Backend be, Tensor h, Branch b) {
        Tensor e = b.embeddingLinear().forward(be, be.permute(h, 0, 2, 1));        // [B, dims, style tokens]
        e = be.permute(be.activate(e, Activation.SILU), 0, 2, 1);                   // [B, style tokens, dims]
        if (b.layerNorm() != null) e = b.layerNorm().forward(be, e);
        return b.projection().forward(be, e);                                       // [B, style tokens, hidden]
    }
}
