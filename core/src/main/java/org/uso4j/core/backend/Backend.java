package org.uso4j.core.backend;

import java.util.List;
import org.uso4j.core.Tensor;

/**
 * The operations networks are built from. Activations are dense float32 tensors, batch first; weights may be
 * of any stored {@link org.uso4j.core.DType} and are decoded inside the kernels. Every operation returns a new
 * tensor and leaves its inputs untouched. Results do not depend on the number of threads.
 *
 * <p>Two host implementations: {@link CpuBackend} (Vector API, multithreaded) and {@link ScalarBackend}, its plain
 * twin, which tests compare it against. The one extension point is {@link DeviceBackend}, for backends in their own
 * modules that own their memory: they get each weight once ({@link #adopt}), keep activations on the device, free
 * them when a {@link #scope()} closes, and move tensors to and from the host only at the pipeline's edges
 * ({@link #toDevice}, {@link #toHost}). On the host backends those members cost nothing. A backend is passed to the
 * networks, never looked up.
 */
public sealed interface Backend permits CpuBackend, ScalarBackend, DeviceBackend {

    String name();

    // ---- memory ----------------------------------------------------------------------------------------

    /**
     * The lifetime of the device tensors ops return while it is the innermost open scope: {@link #close()} frees
     * every one of them that was not {@link #keep kept}. Scopes nest; open one per step, block or stage with
     * try-with-resources.
     */
    interface Scope extends AutoCloseable {
        /** The scope of host backends: nothing to free, one shared instance. */
        Scope NONE = new Scope() {
            @Override public Tensor keep(Tensor t) { return t; }
            @Override public void close() { }
        };

        /** Moves {@code t} (made inside this scope) to the enclosing scope, so it survives this one's close; returns t. */
        Tensor keep(Tensor t);

        /** Frees what was made inside this scope and not kept. */
        @Override void close();
    }

    /**
     * Called once per weight when a network's weights are loaded (after any host-side merge or repack): a device
     * backend uploads it once in its stored dtype and returns the device tensor, which belongs to no scope (it lives
     * until the backend is closed). Host backends return it unchanged.
     */
    default Tensor adopt(Tensor weight) { return weight; }

    /** {@code t} in host memory (a device backend downloads it); host tensors are returned as they are. */
    default Tensor toHost(Tensor t) { return t; }

    /** {@code t} where this backend computes (a device backend uploads a host tensor); the host backends return it. */
    default Tensor toDevice(Tensor t) { return t; }

    /** Opens a scope for the device tensors made until it closes; {@link Scope#NONE} on the host backends. */
    default Scope scope() { return Scope.NONE; }

    /** A new zero-filled float32 tensor where this backend computes. */
    default Tensor zeros(int... dims) { return Tensor.zeros(dims); }

    /** True when no element of float32 {@code t} is NaN or infinite (a device backend reads back one status word). */
    boolean allFinite(Tensor t);

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

    /** {@code a + (b · s)} with the product rounded to float32 first (as {@code add(a, scale(b, s))}): the Euler update. */
    Tensor addScaled(Tensor a, Tensor b, float s);

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

    /**
     * FLUX's rotary tables ({@code EmbedND} + {@code rope}): ids [B, L, n_axes] → pe [B, 1, L, Σd_a/2, 2, 2]; per
     * axis a, {@code ω_j = 1/θ^(2j/d_a)} and angle = id·ω_j in float64, then {@code [[cos, −sin], [sin, cos]]} in float32.
     */
    Tensor ropeTable(Tensor ids, int theta, int[] axesDim);

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

    /**
     * A sample of the VAE posterior (flux {@code DiagonalGaussian}): {@code mean + exp(0.5·logvar) · noise}, the
     * standard deviation computed and rounded in float32; all three of one shape.
     */
    Tensor gaussianSample(Tensor mean, Tensor logvar, Tensor noise);
}
