package org.uso4j.vulkan.ops;

import org.uso4j.core.backend.Activation;
import org.uso4j.vulkan.Buffer;
import org.uso4j.vulkan.VulkanContext;

/**
 * Elementwise ops on dense float32 buffers, as core's {@code ScalarBackend}: activations, add/mul with suffix
 * broadcast, scale, FLUX's modulation and gated residual, the Euler update, the VAE posterior sample, and a
 * finiteness check. Arithmetic ops are bitwise equal to the CPU's (shaders mark them {@code precise}: no fused
 * multiply-add); ops with exp (activations, the posterior sample) differ from Java's by the GPU's exp (a few ulp).
 * Every method returns a new buffer that the caller frees.
 */
public final class Pointwise {
    private final VulkanContext ctx;

    public Pointwise(VulkanContext ctx) { this.ctx = ctx; }

    /** {@code Backend.activate}: {@code kind(x)} for each of x's n elements. */
    public Buffer activate(Buffer x, int n, Activation kind) {
        Launch.floats("activate", "x", x, n);
        return unary(x, n, 0f, "ACT_" + kind.name());
    }

    /** {@code Backend.scale}: {@code a · s} for each of a's n elements. */
    public Buffer scale(Buffer a, int n, float s) {
        Launch.floats("scale", "a", a, n);
        return unary(a, n, s, "SCALE");
    }

    private Buffer unary(Buffer x, int n, float s, String define) {
        Buffer out = Launch.floats(ctx, n);
        Launch.items(ctx, ctx.kernel("pointwise/unary.comp", 2, 8, define), n, new int[] {n, Launch.bits(s)}, x, out);
        return out;
    }

    /** {@code Backend.add}: a [n] + b [nb], b broadcast over a as a suffix of its shape ({@code out[i] = a[i] + b[i mod nb]}). */
    public Buffer add(Buffer a, int n, Buffer b, int nb) { return binary("add", "OP_ADD", a, n, b, nb, null); }

    /** {@code Backend.mul}: a [n] · b [nb] with b broadcast as in {@link #add}. */
    public Buffer mul(Buffer a, int n, Buffer b, int nb) { return binary("mul", "OP_MUL", a, n, b, nb, null); }

    /**
     * The Euler update {@code a + s · b} (a and b [n]), rounded as {@code add(a, scale(b, s))}: bitwise the CPU's
     * two-op result, in one pass.
     */
    public Buffer addScaled(Buffer a, Buffer b, int n, float s) { return binary("addScaled", "OP_ADD_SCALED", a, n, b, n, s); }

    private Buffer binary(String op, String define, Buffer a, int n, Buffer b, int nb, Float s) {
        Launch.floats(op, "a", a, n);
        Launch.floats(op, "b", b, nb);
        if (n > 0 && (nb <= 0 || n % nb != 0)) throw new IllegalArgumentException(op + ": b of " + nb + " elements does not broadcast to " + n);
        Buffer out = Launch.floats(ctx, n);
        int[] push = s == null ? new int[] {n, nb} : new int[] {n, nb, Launch.bits(s)};
        Launch.items(ctx, ctx.kernel("pointwise/binary.comp", 3, 4 * push.length, define), n, push, a, b, out);
        return out;
    }

    /** {@code Backend.modulate}: x [batch, tokens, c], shift and scale [batch, c] → {@code (1 + scale) · x + shift}. */
    public Buffer modulate(Buffer x, int batch, int tokens, int c, Buffer shift, Buffer scale) {
        Launch.floats("modulate", "shift", shift, (long) batch * c);
        Launch.floats("modulate", "scale", scale, (long) batch * c);
        return perChannel("modulate", "MODULATE", x, batch, tokens, c, shift, scale);
    }

    /** {@code Backend.addGated}: x and y [batch, tokens, c], gate [batch, c] → {@code x + gate · y}. */
    public Buffer addGated(Buffer x, int batch, int tokens, int c, Buffer gate, Buffer y) {
        Launch.floats("addGated", "gate", gate, (long) batch * c);
        Launch.floats("addGated", "y", y, (long) batch * tokens * c);
        return perChannel("addGated", "GATED", x, batch, tokens, c, gate, y);
    }

    private Buffer perChannel(String op, String define, Buffer x, int batch, int tokens, int c, Buffer u, Buffer v) {
        Launch.positive(op, "channels", c);
        int n = Math.toIntExact((long) batch * tokens * c);
        Launch.floats(op, "x", x, n);
        Launch.perBatch(op, batch);
        Buffer out = Launch.floats(ctx, n);
        if (n > 0) {
            Launch.dispatch(ctx, ctx.kernel("pointwise/modulate.comp", 4, 8, define), (c + Launch.LOCAL - 1) / Launch.LOCAL,
                    Math.min(tokens, 65535), batch, new int[] {tokens, c}, x, u, v, out);
        }
        return out;
    }

    /**
     * {@code Backend.gaussianSample}, the VAE posterior sample ({@code DiagonalGaussian.forward} with eps): mean, logvar
     * and noise of n elements each (one shape) → {@code mean + exp(0.5 · logvar) · noise}.
     */
    public Buffer gaussianSample(Buffer mean, Buffer logvar, Buffer noise, int n) {
        Launch.floats("gaussianSample", "mean", mean, n);
        Launch.floats("gaussianSample", "logvar", logvar, n);
        Launch.floats("gaussianSample", "noise", noise, n);
        Buffer out = Launch.floats(ctx, n);
        Launch.items(ctx, ctx.kernel("pointwise/gaussian.comp", 4, 4), n, new int[] {n}, mean, logvar, noise, out);
        return out;
    }

    /**
     * A one-word status buffer, recorded without waiting: 0 when all of x's n elements are finite, 1 when one is NaN
     * or ±Inf (a reduction: invocations that find one atomically OR the flag). Read it with
     * {@code ctx.transfers().readStatus}, or use {@link #allFinite}.
     */
    public Buffer nonFiniteFlag(Buffer x, int n) {
        Launch.floats("allFinite", "x", x, n);
        Buffer flag = ctx.heap().allocate(4);
        Launch.items(ctx, ctx.kernel("layout/fill.comp", 1, 8), 1, new int[] {1, 0}, flag);
        if (n > 0) Launch.items(ctx, ctx.kernel("pointwise/finite.comp", 2, 4), n, new int[] {n}, x, flag);
        return flag;
    }

    /** Whether all of x's n elements are finite (waits for the recorded work; one status word crosses, not x). */
    public boolean allFinite(Buffer x, int n) {
        Buffer flag = nonFiniteFlag(x, n);
        try {
            return ctx.transfers().readStatus(flag) == 0;
        } finally {
            ctx.heap().free(flag);
        }
    }
}
