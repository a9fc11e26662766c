package org.uso4j.bench;

import org.uso4j.model.flux.FluxConfig;

/**
 * Floating-point operation counts of the FLUX blocks (multiply-add = 2 FLOP; norms, RoPE, softmax and pointwise
 * work are below 1% and not counted). With C = hidden, M = MLP hidden, H·D = C and L = L_txt + L_img:
 * a double block is 2·L·C·(3C + C + 2M) for its linears plus 4·L²·C for attention (Q·Kᵀ and P·V); a single
 * block is 2·L·C·(3C + M) + 2·L·(C + M)·C plus the same attention. For 512² USO (L = 2752) a step is ≈ 40.8 TFLOP.
 */
public record FluxFlops(FluxConfig cfg, UsoTokens tokens) {

    /** {@code [rows, in] · [out, in]ᵀ}. */
    public static double linear(long rows, long in, long out) { return 2.0 * rows * in * out; }

    /** Q·Kᵀ and P·V over {@code heads} heads of dimension {@code headDim} with {@code lq} queries and {@code lk} keys. */
    public static double attention(long heads, long lq, long lk, long headDim) { return 4.0 * heads * lq * lk * headDim; }

    public double attention() {
        return attention(cfg.numHeads(), tokens.total(), tokens.total(), cfg.headDim());
    }

    public double doubleBlock() {
        long c = cfg.hiddenSize(), m = cfg.mlpHidden();
        return linear(tokens.total(), c, 3 * c + c) + 2 * linear(tokens.total(), c, m) + attention() + modulation(12);
    }

    public double singleBlock() {
        long c = cfg.hiddenSize(), m = cfg.mlpHidden();
        return linear(tokens.total(), c, 3 * c + m) + linear(tokens.total(), c + m, c) + attention() + modulation(3);
    }

    /** The modulation GEMVs: vec [1, C] → [chunks·C]. */
    private double modulation(int chunks) { return linear(1, cfg.hiddenSize(), (long) chunks * cfg.hiddenSize()); }

    /** One denoising step's blocks: depth double + depthSingleBlocks single blocks. */
    public double stepBlocks() { return cfg.depth() * doubleBlock() + cfg.depthSingleBlocks() * singleBlock(); }
}
