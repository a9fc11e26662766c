package org.uso4j.vulkan.ops;

import org.uso4j.core.DType;
import org.uso4j.core.backend.Activation;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.Kernel;
import org.uso4j.vulkan.VulkanContext;

/**
 * Linear layers on the GPU (shaders/gemm/linear.comp): one tiled product per call, the weight read in its stored
 * dtype and decoded in the shader (one pipeline per weight dtype), the bias, the low-rank term and the activation
 * applied as the output is written.
 * Activations are float32 row-major; each call allocates its output on the context's heap, the caller frees it.
 */
public final class Linear {
    private static final String SHADER = "gemm/linear.comp";
    private final VulkanContext ctx;

    public Linear(VulkanContext ctx) { this.ctx = ctx; }

    /**
     * {@code Backend.linear(x, weight, bias, act)}: {@code act(x [rows, in] · weight[out, in]ᵀ + bias[out])} → [rows, out].
     * {@code weight} holds {@code wtype}'s stored bytes (any decodable dtype; {@code in} a whole number of its blocks);
     * {@code bias} (F32, F16, BF16 or float8; {@code btype}) and {@code act} may be null. Leading dimensions of x are
     * flattened into {@code rows} by the caller.
     */
    public Buffer linear(Buffer x, int rows, int in, Buffer weight, DType wtype, int out, Buffer bias, DType btype, Activation act) {
        return run(x, rows, in, weight, wtype, out, bias, btype, null, 0, null, null, act);
    }

    /** {@code Backend.linear(x, weight, bias)}: {@link #linear(Buffer, int, int, Buffer, DType, int, Buffer, DType, Activation)} without activation. */
    public Buffer linear(Buffer x, int rows, int in, Buffer weight, DType wtype, int out, Buffer bias, DType btype) {
        return linear(x, rows, in, weight, wtype, out, bias, btype, null);
    }

    /**
     * {@code Backend.linearLowRank(x, weight, bias, t, up)}: {@code x [rows, in] · weight[out, in]ᵀ + bias[out]
     * + t [rows, rank] · up[out, rank]ᵀ} → [rows, out] as one product (the low-rank term is the tail of the same k
     * accumulation, as the CPU's AMX path). {@code up} is F32, F16, BF16 or float8 ({@code utype}); bias may be null.
     */
    public Buffer linearLowRank(Buffer x, int rows, int in, Buffer weight, DType wtype, int out, Buffer bias, DType btype,
                                Buffer t, int rank, Buffer up, DType utype) {
        if (t == null || up == null || rank < 1) throw new IllegalArgumentException("linearLowRank: t, up and a rank >= 1 are needed, got rank " + rank);
        return run(x, rows, in, weight, wtype, out, bias, btype, t, rank, up, utype, null);
    }

    private Buffer run(Buffer x, int rows, int in, Buffer weight, DType wtype, int out, Buffer bias, DType btype,
                       Buffer t, int rank, Buffer up, DType utype, Activation act) {
        String op = t == null ? "linear" : "linearLowRank";
        Launch.sizes(op, rows, in + rank);
        Launch.sizes(op, out, in + rank);
        Launch.sizes(op, rows, out);
        if (in < 1 || out < 1) throw new IllegalArgumentException(op + ": in and out must be >= 1, got in " + in + ", out " + out);
        String wdef = WeightTypes.define(wtype, op + " weight");
        WeightTypes.requireWholeBlocks(wtype, in, op + " weight [" + out + ", " + in + "]");
        Launch.require(x, 4L * rows * in, op + " input x [" + rows + ", " + in + "]");
        Launch.require(weight, WeightTypes.bytes(wtype, (long) out * in), op + " weight " + wtype + " [" + out + ", " + in + "]");
        int biasCode = WeightTypes.optionalCode(bias, btype, op + " bias"), upCode = WeightTypes.optionalCode(up, utype, op + " up");
        if (bias != null) Launch.require(bias, WeightTypes.bytes(btype, out), op + " bias " + btype + " [" + out + "]");
        if (t != null) {
            Launch.require(t, 4L * rows * rank, op + " low-rank input t [" + rows + ", " + rank + "]");
            Launch.require(up, WeightTypes.bytes(utype, (long) out * rank), op + " up " + utype + " [" + out + ", " + rank + "]");
        }
        Buffer o = ctx.heap().allocate(4L * rows * out);
        if (rows == 0) return o;
        Kernel k = Launch.kernel(ctx, SHADER, 6, 7, wdef);
        Launch.dispatch(ctx, k, Launch.tiles(out, op + " out"), Launch.tiles(rows, op + " rows"), 1,
                new int[] {rows, out, in, rank, biasCode, upCode, WeightTypes.activation(act)},
                x, weight, bias != null ? bias : weight, t != null ? t : x, up != null ? up : weight, o);
        return o;
    }
}
