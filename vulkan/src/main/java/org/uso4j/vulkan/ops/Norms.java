package org.uso4j.vulkan.ops;

import java.util.ArrayList;
import java.util.List;
import org.uso4j.core.DType;
import org.uso4j.core.backend.Activation;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.Kernel;
import org.uso4j.vulkan.VulkanContext;

/**
 * Normalisations on the GPU, as core's {@code ScalarBackend}: LayerNorm and RMSNorm over the last dimension (one
 * work group per row, shared-memory sums), GroupNorm over [B, C, ...] (chunk statistics, merged per group, then an
 * elementwise pass, so a VAE group of millions of floats is spread over many work groups). Means and variances are
 * two-pass as the scalar twin's (it accumulates in double, these in float: relative differences ≈ 1e-6). The affine
 * weight and bias may be stored F32, F16 or BF16 (the checkpoint's bytes) or be null. Inputs are dense float32; every
 * method returns a new float32 buffer of x's size that the caller frees.
 */
public final class Norms {
    /** Floats per work group in GroupNorm's statistics pass. */
    static final int CHUNK = 4096;

    private final VulkanContext ctx;

    public Norms(VulkanContext ctx) { this.ctx = ctx; }

    /**
     * {@code Backend.layerNorm}: x [rows, c] (any leading dimensions flattened into rows) normalised per row with
     * the biased variance, eps inside the root, then {@code · weight[c]} and {@code + bias[c]} (each may be null).
     */
    public Buffer layerNorm(Buffer x, int rows, int c, Buffer weight, DType wtype, Buffer bias, DType btype, float eps) {
        return rowNorm("layerNorm", false, x, rows, c, weight, wtype, bias, btype, eps);
    }

    /** {@code Backend.rmsNorm}: x [rows, c] → {@code x · (1 / sqrt(mean(x²) + eps)) · scale[c]} (scale may be null). */
    public Buffer rmsNorm(Buffer x, int rows, int c, Buffer scale, DType stype, float eps) {
        return rowNorm("rmsNorm", true, x, rows, c, scale, stype, null, null, eps);
    }

    private Buffer rowNorm(String op, boolean rms, Buffer x, int rows, int c, Buffer weight, DType wtype, Buffer bias, DType btype, float eps) {
        Launch.positive(op, "channels", c);
        Launch.floats(op, "x", x, (long) rows * c);
        List<String> defines = affine(op, weight, wtype, bias, btype, c);
        if (rms) defines.add("RMS");
        Kernel k = ctx.kernel("norm/rownorm.comp", 4, 12, defines.toArray(String[]::new));
        Buffer out = Launch.floats(ctx, (long) rows * c);
        if (rows > 0) Launch.rows(ctx, k, rows, new int[] {rows, c, Launch.bits(eps)}, x, orX(weight, x), orX(bias, x), out);
        return out;
    }

    /** {@code Backend.groupNorm}: x [batch, channels, spatial...] with channels split in {@code groups}; weight/bias [channels] or null. */
    public Buffer groupNorm(Buffer x, int batch, int channels, int spatial, int groups, Buffer weight, DType wtype,
                            Buffer bias, DType btype, float eps) {
        return groupNorm(x, batch, channels, spatial, groups, weight, wtype, bias, btype, eps, null);
    }

    /**
     * {@code Backend.groupNorm(x, groups, weight, bias, eps, act)}: the GroupNorm above with {@code act} (null: none)
     * applied to each normalised element as it is written (one output, no second pass).
     */
    public Buffer groupNorm(Buffer x, int batch, int channels, int spatial, int groups, Buffer weight, DType wtype,
                            Buffer bias, DType btype, float eps, Activation act) {
        String op = "groupNorm";
        Launch.positive(op, "groups", groups);
        Launch.positive(op, "batch", batch);
        Launch.positive(op, "channels", channels);
        Launch.positive(op, "spatial size", spatial);
        if (channels % groups != 0) throw new IllegalArgumentException(op + ": " + channels + " channels not divisible by " + groups + " groups");
        long n = (long) batch * channels * spatial;
        long len = (long) channels / groups * spatial;
        if (n > 0xFFFF_FFFFL) throw new IllegalArgumentException(op + ": " + n + " elements are more than one buffer index reaches");
        Launch.floats(op, "x", x, n);
        List<String> defines = affine(op, weight, wtype, bias, btype, channels);
        if (act != null) defines.add("ACT_" + act.name());
        int chunks = Math.toIntExact((len + CHUNK - 1) / CHUNK), count = batch * groups;
        if (count > 65535) throw new IllegalArgumentException(op + ": " + count + " groups (batch × groups) exceed one dispatch (65535)");
        if (channels > 65535) throw new IllegalArgumentException(op + ": " + channels + " channels exceed one dispatch (65535)");
        if (chunks > 65535) throw new IllegalArgumentException(op + ": a group of " + len + " elements exceeds " + 65535L * CHUNK);
        Buffer stats = ctx.heap().allocate(8L * count * chunks), moments = ctx.heap().allocate(8L * count);
        Buffer out = Launch.floats(ctx, n);
        try {
            Launch.dispatch(ctx, ctx.kernel("norm/groupstats.comp", 2, 12), chunks, count, 1, new int[] {(int) len, CHUNK, chunks}, x, stats);
            Launch.dispatch(ctx, ctx.kernel("norm/groupcombine.comp", 2, 16), count, 1, 1,
                    new int[] {(int) len, CHUNK, chunks, Launch.bits(eps)}, stats, moments);
            Kernel apply = ctx.kernel("norm/groupapply.comp", 5, 16, defines.toArray(String[]::new));
            Launch.dispatch(ctx, apply, Math.min((spatial + Launch.LOCAL - 1) / Launch.LOCAL, 65535), channels, batch,
                    new int[] {spatial, channels, channels / groups, groups}, x, moments, orX(weight, x), orX(bias, x), out);
        } catch (RuntimeException e) {
            ctx.heap().free(out);
            throw e;
        } finally {
            ctx.heap().free(stats);
            ctx.heap().free(moments);
        }
        return out;
    }

    /** HAS_W/WLOAD and HAS_B/BLOAD defines for an optional affine weight and bias of {@code c} elements. */
    private static List<String> affine(String op, Buffer weight, DType wtype, Buffer bias, DType btype, int c) {
        List<String> defines = new ArrayList<>();
        if (weight != null) {
            StoredType.fits(op, "weight", weight, wtype, c);
            defines.add("HAS_W");
            defines.add(StoredType.load("WLOAD", wtype, op, "weight"));
        }
        if (bias != null) {
            StoredType.fits(op, "bias", bias, btype, c);
            defines.add("HAS_B");
            defines.add(StoredType.load("BLOAD", btype, op, "bias"));
        }
        return defines;
    }

    /** An absent affine operand is bound to x (never read: its HAS_ define is off). */
    private static Buffer orX(Buffer b, Buffer x) { return b != null ? b : x; }
}
