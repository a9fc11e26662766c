package org.uso4j.core.backend;

import java.util.List;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.cpu.Copies;
import org.uso4j.core.backend.cpu.Norms;
import org.uso4j.core.backend.cpu.Pointwise;
import org.uso4j.core.backend.cpu.Workers;
import org.uso4j.core.backend.cpu.amx.AmxAttention;
import org.uso4j.core.backend.cpu.amx.AmxGemm;
import org.uso4j.core.backend.cpu.amx.AmxKernel;
import org.uso4j.core.backend.cpu.attention.AttentionShape;
import org.uso4j.core.backend.cpu.attention.FlashAttention;
import org.uso4j.core.backend.cpu.gemm.Conv2dKernel;
import org.uso4j.core.backend.cpu.gemm.Gemm;
import org.uso4j.core.backend.cpu.gemm.Gemv;
import org.uso4j.core.backend.cpu.gemm.Panels;

/**
 * The fast CPU backend: Vector API kernels run on {@code threads} workers (the caller plus daemon threads owned
 * by this backend). Every kernel splits its outputs, never a reduction, and fixes its summation order, so results
 * are bitwise the same for any thread count. Weights keep their stored dtype and are decoded inside the kernels,
 * a panel or row at a time. Twin: {@link ScalarBackend}; tests compare every op against it. With
 * {@link MatmulPrecision#BF16} on a CPU with AMX, {@link #linear} and (without bias or mask) {@link #attention}
 * multiply in bf16 on the tile unit ({@link AmxGemm}, {@link AmxAttention}) instead: faster, not bitwise float32.
 *
 * <p>{@link #close()} stops the worker threads (they are daemons, so closing is optional); afterwards ops run on
 * the calling thread alone.
 */
public final class CpuBackend implements Backend, AutoCloseable {
    /** Fewest rows for which {@link MatmulPrecision#BF16} uses the AMX kernel (one 32-row tile block). */
    private static final int AMX_MIN_ROWS = 32;

    private final int threads;
    private final Workers workers;
    private final boolean amx;

    public CpuBackend(int threads) { this(threads, MatmulPrecision.F32); }

    /** {@code precision} of {@link #linear}; {@link MatmulPrecision#BF16} needs AMX, else float32 is used. */
    public CpuBackend(int threads, MatmulPrecision precision) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.workers = new Workers(threads);
        this.amx = precision == MatmulPrecision.BF16 && AmxKernel.available();
    }

    /** A backend using every available processor. */
    public static CpuBackend create() { return new CpuBackend(Runtime.getRuntime().availableProcessors()); }

    /** A backend using every available processor, with {@code precision}. */
    public static CpuBackend create(MatmulPrecision precision) {
        return new CpuBackend(Runtime.getRuntime().availableProcessors(), precision);
    }

    /** The precision {@link #linear} really uses (BF16 only where AMX is available). */
    public MatmulPrecision precision() { return amx ? MatmulPrecision.BF16 : MatmulPrecision.F32; }

    public int threads() { return threads; }

    @Override public void close() { workers.shutdown(); }

    @Override public String name() { return "cpu(" + threads + " threads" + (amx ? ", bf16 AMX matmuls" : "") + ")"; }

    private static float[] f32(Tensor t) { return t == null ? null : t.toF32().floats(); }

    @Override public Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        Checks.linear(x, weight, bias);
        int in = weight.dim(1), out = weight.dim(0);
        int rows = Math.toIntExact(x.shape().rows());
        if (amx && rows >= AMX_MIN_ROWS) return amxLinear(x, weight, bias, null);
        float[] y = new float[Math.multiplyExact(rows, out)];
        if (rows < Gemv.MAX_ROWS) {
            Gemv.run(workers, x.floats(), rows, in, weight, f32(bias), y);
        } else {
            Panels w = Panels.ofRows(weight, 0, in);
            Gemm.run(workers, 1, x.floats(), 0, rows, in, z -> w, out, y, 0, f32(bias));
        }
        return Tensor.wrap(y, Checks.withLast(x, out));
    }

    @Override public Tensor linear(Tensor x, Tensor weight, Tensor bias, Activation act) {
        if (!amx || x.shape().rows() < AMX_MIN_ROWS) return Backend.super.linear(x, weight, bias, act);
        Checks.linear(x, weight, bias);
        return amxLinear(x, weight, bias, act);
    }

    @Override public Tensor linearLowRank(Tensor x, Tensor weight, Tensor bias, Tensor t, Tensor up) {
        if (!amx || x.shape().rows() < AMX_MIN_ROWS) return Backend.super.linearLowRank(x, weight, bias, t, up);
        Checks.linear(x, weight, bias);
        Checks.linearLowRank(x, weight, t, up);
        return amxLinear(x, weight, bias, null, new AmxGemm.Operand(t.floats(), up.dim(1), up));
    }

    /** {@code act(x · weightᵀ + bias + Σ extra)} on AMX tiles (checked by the caller); {@code act} may be null. */
    private Tensor amxLinear(Tensor x, Tensor weight, Tensor bias, Activation act, AmxGemm.Operand... extra) {
        int rows = Math.toIntExact(x.shape().rows()), out = weight.dim(0);
        AmxGemm.Operand[] ops = new AmxGemm.Operand[1 + extra.length];
        ops[0] = new AmxGemm.Operand(x.floats(), weight.dim(1), weight);
        System.arraycopy(extra, 0, ops, 1, extra.length);
        float[] y = new float[Math.multiplyExact(rows, out)];
        AmxGemm.run(workers, ops, rows, out, f32(bias), y, act);
        return Tensor.wrap(y, Checks.withLast(x, out));
    }

    @Override public Tensor matmul(Tensor a, Tensor b, boolean transposeB) {
        Checks.Matmul m = Checks.matmul(a, b, transposeB);
        float[] out = new float[Math.multiplyExact(m.batch(), m.m() * m.n())];
        int bStride = m.bBroadcast() ? 0 : 1;
        if (transposeB) {
            Gemm.run(workers, m.batch(), a.floats(), m.m() * m.k(), m.m(), m.k(),
                    z -> Panels.ofRows(b, (long) z * bStride * m.n(), m.k()), m.n(), out, m.m() * m.n(), null);
        } else {
            float[] bs = f32(b);
            Gemm.run(workers, m.batch(), a.floats(), m.m() * m.k(), m.m(), m.k(),
                    z -> Panels.ofColumns(bs, z * bStride * m.k() * m.n(), m.n()), m.n(), out, m.m() * m.n(), null);
        }
        return Tensor.wrap(out, m.outDims());
    }

    @Override public Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
        int c = x.shape().last();
        Checks.vector(weight, c, "layerNorm weight");
        Checks.vector(bias, c, "layerNorm bias");
        return Tensor.wrap(Norms.layerNorm(workers, x.floats(), c, f32(weight), f32(bias), eps), x.dims());
    }

    @Override public Tensor rmsNorm(Tensor x, Tensor scale, float eps) {
        int c = x.shape().last();
        Checks.vector(scale, c, "rmsNorm scale");
        return Tensor.wrap(Norms.rmsNorm(workers, x.floats(), c, f32(scale), eps), x.dims());
    }

    @Override public Tensor groupNorm(Tensor x, int groups, Tensor weight, Tensor bias, float eps) {
        int b = x.dim(0), c = x.dim(1);
        if (groups < 1 || c % groups != 0) throw new IllegalArgumentException("groupNorm: " + c + " channels not divisible by " + groups + " groups");
        int spatial = Math.toIntExact(x.numel() / ((long) b * c));
        Checks.vector(weight, c, "groupNorm weight");
        Checks.vector(bias, c, "groupNorm bias");
        return Tensor.wrap(Norms.groupNorm(workers, x.floats(), b, c, spatial, groups, f32(weight), f32(bias), eps), x.dims());
    }

    @Override public Tensor groupNorm(Tensor x, int groups, Tensor weight, Tensor bias, float eps, Activation act) {
        float[] out = groupNorm(x, groups, weight, bias, eps).floats(); // a fresh array: activated in place
        Pointwise.split(workers, out.length, (s, e) -> Pointwise.activate(out, out, s, e, act));
        return Tensor.wrap(out, x.dims());
    }

    @Override public Tensor activate(Tensor x, Activation kind) {
        return Tensor.wrap(Pointwise.activate(workers, x.floats(), kind), x.dims());
    }

    @Override public Tensor add(Tensor a, Tensor b) {
        return Tensor.wrap(Pointwise.binary(workers, a.floats(), Checks.suffix(a, b, "add").floats(), false), a.dims());
    }

    @Override public Tensor mul(Tensor a, Tensor b) {
        return Tensor.wrap(Pointwise.binary(workers, a.floats(), Checks.suffix(a, b, "mul").floats(), true), a.dims());
    }

    @Override public Tensor scale(Tensor a, float s) {
        return Tensor.wrap(Pointwise.scale(workers, a.floats(), s), a.dims());
    }

    /** Two passes, exactly today's {@code add(a, scale(b, s))}: the product is rounded before the sum. */
    @Override public Tensor addScaled(Tensor a, Tensor b, float s) {
        Checks.sameShape(a, b, "addScaled");
        return add(a, scale(b, s));
    }

    @Override public boolean allFinite(Tensor t) { return ScalarBackend.allFiniteF32(t); }

    @Override public Tensor gaussianSample(Tensor mean, Tensor logvar, Tensor noise) { return ScalarBackend.sampleGaussian(mean, logvar, noise); }

    @Override public Tensor modulate(Tensor x, Tensor shift, Tensor scale) {
        Checks.perBatchChannel(x, shift, "modulate shift");
        Checks.perBatchChannel(x, scale, "modulate scale");
        return Tensor.wrap(Pointwise.perChannel(workers, x.floats(), x.dim(0), x.shape().last(), f32(shift), f32(scale), null, true), x.dims());
    }

    @Override public Tensor addGated(Tensor x, Tensor gate, Tensor y) {
        Checks.perBatchChannel(x, gate, "addGated gate");
        Checks.sameShape(x, y, "addGated");
        return Tensor.wrap(Pointwise.perChannel(workers, x.floats(), x.dim(0), x.shape().last(), f32(gate), null, y.floats(), false), x.dims());
    }

    @Override public Tensor concat(int dim, List<Tensor> parts) { return Layout.concat(dim, parts); }

    @Override public Tensor slice(Tensor x, int dim, int start, int end) { return Layout.slice(x, dim, start, end); }

    @Override public Tensor permute(Tensor x, int... order) { return Copies.permute(workers, x, order); }

    @Override public Tensor rope(Tensor x, Tensor pe) {
        Checks.rope(x, pe);
        return Tensor.wrap(Pointwise.rope(workers, x.floats(), f32(pe), x.dim(0), x.dim(1), x.dim(2), x.dim(3), pe.dim(0) != 1), x.dims());
    }

    @Override public Tensor attention(Tensor q, Tensor k, Tensor v, float scale, Tensor bias, boolean causal) {
        Checks.attention(q, k, v, bias);
        AttentionShape s = AttentionShape.of(q, k, v);
        int[] outDims = {s.batch(), s.heads(), s.lq(), s.dv()};
        if (amx && s.lk() > 0 && AmxAttention.supports(s.d(), s.dv(), f32(bias), causal)) {
            return Tensor.wrap(AmxAttention.run(workers, s, q.floats(), f32(k), f32(v), scale), outDims);
        }
        float[] out = FlashAttention.run(workers, s, q.floats(), f32(k), f32(v), scale, f32(bias), bias != null && bias.dim(0) != 1, causal);
        return Tensor.wrap(out, outDims);
    }

    @Override public Tensor softmax(Tensor x) {
        return Tensor.wrap(Norms.softmax(workers, x.floats(), x.shape().last()), x.dims());
    }

    @Override public Tensor timestepEmbedding(Tensor t, int dim, float timeFactor, float maxPeriod) {
        return Embeddings.timestep(t, dim, timeFactor, maxPeriod);
    }

    @Override public Tensor embedding(Tensor table, long[] ids) { return Embeddings.lookup(table, ids); }

    @Override public Tensor ropeTable(Tensor ids, int theta, int[] axesDim) { return Embeddings.ropeTable(ids, theta, axesDim); }

    @Override public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int[] pad) {
        Checks.Conv c = Checks.conv2d(x, weight, bias, stride, pad);
        float[] out = Conv2dKernel.run(workers, x.floats(), c, stride, pad, weight, f32(bias));
        return Tensor.wrap(out, c.b(), c.cout(), c.oh(), c.ow());
    }

    @Override public Tensor conv2dUpsampled2x(Tensor x, Tensor weight, Tensor bias, int[] pad) {
        Checks.Conv c = Checks.conv2d(x, weight, bias, 1, pad, 2);
        float[] out = Conv2dKernel.run(workers, x.floats(), c, 1, pad, weight, f32(bias), 2);
        return Tensor.wrap(out, c.b(), c.cout(), c.oh(), c.ow());
    }

    @Override public Tensor upsampleNearest2x(Tensor x) {
        if (x.rank() != 4) throw Checks.fail("upsampleNearest2x", "x must be [B, C, H, W], got " + x.shape());
        int h = x.dim(2), w = x.dim(3);
        return Tensor.wrap(Pointwise.upsampleNearest2x(workers, x.floats(), x.dim(0) * x.dim(1), h, w), x.dim(0), x.dim(1), 2 * h, 2 * w);
    }
}
