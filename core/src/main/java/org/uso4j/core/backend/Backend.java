package org.uso4j.core.backend;

import java.util.List;
import org.uso4j.core.Tensor;

/**
 * The operations networks are built from. Activations are dense float32 tensors, batch first; weights may be
 * of any stored {@link org.uso4j.core.DType} and are decoded inside the kernels. Every operation returns a new
 * tensor and leaves its inputs untouched. Results do not depend on the number of threads.
 *
 * <p>Two implementations: {@link CpuBackend} (Vector API, multithreaded) and {@link ScalarBackend}, its plain
 * twin, which tests compare it against. A backend is passed to the networks, never looked up.
 */
public sealed interface Backend permits CpuBackend, ScalarBackend {

    String name();

    // ---- matrix products -------------------------------------------------------------------------------

    /** {@code x [..., in] · weight[out, in]ᵀ + bias[out]} → {@code [..., out]}; bias may be null. */
    Tensor linear(Tensor x, Tensor weight, Tensor bias);

    /** {@code act(x · weightᵀ + bias)}: a linear layer whose activation backends may apply as the output is written. */
    default Tensor linear(Tensor x, Tensor weight, Tensor bias, Activation act) {
        return activate(linear(x, weight, bias), act);
    }

    /**
     * {@code x [..., in] · weight[out, in]ᵀ + bias + t [..., r] · up[out, r]ᵀ}: a linear layer plus a low-rank
     * (LoRA) up-projection of {@code t} into the same output; x and t have the same leading dimensions. Backends
     * may run it as one product (no second output pass).
     */
    default Tensor linearLowRank(Tensor x, Tensor weight, Tensor bias, Tensor t, Tensor up) {
        Checks.linearLowRank(x, weight, t, up);
        return add(linear(x, weight, bias), linear(t, up, null));
    }

    /** Batched {@code a [..., M, K] · b [..., K, N]} (or {@code b [..., N, K]} with transposeB) → {@code [..., M, N]}. */
    Tensor matmul(Tensor a, Tensor b, boolean transposeB);

    // ---- normalisation ---------------------------------------------------------------------------------

    /** LayerNorm over the last dimension (biased variance, eps inside the root); weight/bias may be null. */
    Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps);

    /** {@code act(groupNorm(x))}: backends may apply the activation to the normalised output in place (one tensor, not two). */
    default Tensor groupNorm(Tensor x, int groups, Tensor weight, Tensor bias, float eps, Activation act) {
        return activate(groupNorm(x, groups, weight, bias, eps), act);
    }

    /** RMSNorm over the last dimension: {@code x / sqrt(mean(x²) + eps) · scale} (scale may be null). */
    Tensor rmsNorm(Tensor x, Tensor scale, float eps);

    /** GroupNorm on {@code [B, C, ...]}: C split in {@code groups}; affine weight/bias [C] may be null. */
    Tensor groupNorm(Tensor x, int groups, Tensor weight, Tensor bias, float eps);

    // ---- pointwise -------------------------------------------------------------------------------------

    Tensor activate(Tensor x, Activation kind);

    /** {@code a + b}; b has a's shape or a suffix of it (broadcast over the leading dimensions). */
    Tensor add(Tensor a, Tensor b);

    /** {@code a · b}; b has a's shape or a suffix of it. */
    Tensor mul(Tensor a, Tensor b);

    /** {@code a · s}. */
    Tensor scale(Tensor a, float s);

    /** FLUX modulation {@code (1 + scale) · x + shift}: x [B, L, C], shift and scale [B, C]. */
    Tensor modulate(Tensor x, Tensor shift, Tensor scale);

    /** Gated residual {@code x + gate · y}: x and y [B, L, C], gate [B, C]. */
    Tensor addGated(Tensor x, Tensor gate, Tensor y);

    // ---- layout ----------------------------------------------------------------------------------------

    /** Concatenation along {@code dim}; all other dimensions equal. */
    Tensor concat(int dim, List<Tensor> parts);

    /** Elements {@code [start, end)} along {@code dim}. */
    Tensor slice(Tensor x, int dim, int start, int end);

    /** Dimensions reordered: output dimension i is input dimension {@code order[i]}. */
    Tensor permute(Tensor x, int... order);

    // ---- attention -------------------------------------------------------------------------------------

    /**
     * Rotary embedding as FLUX's {@code apply_rope}: x [B, H, L, D], pe [B or 1, 1, L, D/2, 2, 2]; for each pair
     * k: {@code out[2k] = pe[k,0,0]·x[2k] + pe[k,0,1]·x[2k+1]}, {@code out[2k+1] = pe[k,1,0]·x[2k] + pe[k,1,1]·x[2k+1]}.
     */
    Tensor rope(Tensor x, Tensor pe);

    /**
     * {@code softmax(q kᵀ · scale + bias [+ causal mask]) v}: q [B, H, Lq, D], k and v [B, H, Lk, D] (v may have
     * another last dimension), bias null or [1 or B, H, Lq, Lk]. Never holds more than one score row per
     * thread: memory is O(L·D).
     */
    Tensor attention(Tensor q, Tensor k, Tensor v, float scale, Tensor bias, boolean causal);

    /** Softmax over the last dimension. */
    Tensor softmax(Tensor x);

    // ---- embeddings ------------------------------------------------------------------------------------

    /**
     * Sinusoidal timestep embedding (FLUX {@code timestep_embedding}): t [N] → [N, dim]; with half = dim/2,
     * {@code f_i = exp(-ln(maxPeriod)·i/half)}, {@code a = timeFactor·t·f_i}, output {@code [cos a, sin a]}
     * (zero-padded when dim is odd), all in float32.
     */
    Tensor timestepEmbedding(Tensor t, int dim, float timeFactor, float maxPeriod);

    /** Rows {@code table[ids[i]]} of an embedding table [V, D] (any dtype) → [N, D]. */
    Tensor embedding(Tensor table, long[] ids);

    // ---- images ----------------------------------------------------------------------------------------

    /**
     * 2-D convolution: x [B, Cin, H, W], weight [Cout, Cin, kh, kw] (any dtype), bias [Cout] or null, with
     * zero padding {@code pad = {top, left, bottom, right}}.
     */
    Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int[] pad);

    /**
     * {@code conv2d(upsampleNearest2x(x), weight, bias, 1, pad)}: backends may read the ×2 image through the
     * convolution's own indexing instead of storing it (4× the input's size).
     */
    default Tensor conv2dUpsampled2x(Tensor x, Tensor weight, Tensor bias, int[] pad) {
        return conv2d(upsampleNearest2x(x), weight, bias, 1, pad);
    }

    /** Nearest-neighbour ×2 upsampling of [B, C, H, W]. */
    Tensor upsampleNearest2x(Tensor x);
}
