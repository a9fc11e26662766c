package org.uso4j.core.backend;

import java.util.List;
import org.uso4j.core.Tensor;

/**
 * The fast CPU backend: Vector API kernels, multithreaded over {@code threads} workers.
 * (Bootstrap version: every op runs the scalar reference until the vector kernels land.)
 */
public final class CpuBackend implements Backend {
    private final int threads;
    private final ScalarBackend ref = new ScalarBackend();

    public CpuBackend(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
    }

    /** A backend using every available processor. */
    public static CpuBackend create() { return new CpuBackend(Runtime.getRuntime().availableProcessors()); }

    public int threads() { return threads; }

    @Override public String name() { return "cpu(" + threads + " threads)"; }
    @Override public Tensor linear(Tensor x, Tensor w, Tensor b) { return ref.linear(x, w, b); }
    @Override public Tensor matmul(Tensor a, Tensor b, boolean tb) { return ref.matmul(a, b, tb); }
    @Override public Tensor layerNorm(Tensor x, Tensor w, Tensor b, float eps) { return ref.layerNorm(x, w, b, eps); }
    @Override public Tensor rmsNorm(Tensor x, Tensor s, float eps) { return ref.rmsNorm(x, s, eps); }
    @Override public Tensor groupNorm(Tensor x, int g, Tensor w, Tensor b, float eps) { return ref.groupNorm(x, g, w, b, eps); }
    @Override public Tensor activate(Tensor x, Activation k) { return ref.activate(x, k); }
    @Override public Tensor add(Tensor a, Tensor b) { return ref.add(a, b); }
    @Override public Tensor mul(Tensor a, Tensor b) { return ref.mul(a, b); }
    @Override public Tensor scale(Tensor a, float s) { return ref.scale(a, s); }
    @Override public Tensor modulate(Tensor x, Tensor sh, Tensor sc) { return ref.modulate(x, sh, sc); }
    @Override public Tensor addGated(Tensor x, Tensor g, Tensor y) { return ref.addGated(x, g, y); }
    @Override public Tensor concat(int dim, List<Tensor> parts) { return ref.concat(dim, parts); }
    @Override public Tensor slice(Tensor x, int dim, int s, int e) { return ref.slice(x, dim, s, e); }
    @Override public Tensor permute(Tensor x, int... order) { return ref.permute(x, order); }
    @Override public Tensor rope(Tensor x, Tensor pe) { return ref.rope(x, pe); }
    @Override public Tensor attention(Tensor q, Tensor k, Tensor v, float s, Tensor bias, boolean causal) { return ref.attention(q, k, v, s, bias, causal); }
    @Override public Tensor softmax(Tensor x) { return ref.softmax(x); }
    @Override public Tensor timestepEmbedding(Tensor t, int dim, float f, float p) { return ref.timestepEmbedding(t, dim, f, p); }
    @Override public Tensor embedding(Tensor table, long[] ids) { return ref.embedding(table, ids); }
    @Override public Tensor conv2d(Tensor x, Tensor w, Tensor b, int stride, int[] pad) { return ref.conv2d(x, w, b, stride, pad); }
    @Override public Tensor upsampleNearest2x(Tensor x) { return ref.upsampleNearest2x(x); }
}
