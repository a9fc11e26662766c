package org.uso4j.model.flux;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.nn.RmsNorm;
import org.uso4j.model.nn.Weights;

/** flux {@code QKNorm}: RMSNorm over the head dim (eps 1e-6, learned scale) on q and k separately. */
public final class QkNorm {
    static final float EPS = 1e-6f;
    private final RmsNorm queryNorm;
    private final RmsNorm keyNorm;

    public QkNorm(Weights w, int headDim) {
        this.queryNorm = new RmsNorm(w.at("query_norm").take("scale", headDim), EPS);
        this.keyNorm = new RmsNorm(w.at("key_norm").take("scale", headDim), EPS);
    }

    /** q, k [B, H, L, D] → normalised (q, k). */
    public Tensor[] forward(Backend be, Tensor q, Tensor k) {
        return new Tensor[]{queryNorm.forward(be, q), keyNorm.forward(be, k)};
    }
}
