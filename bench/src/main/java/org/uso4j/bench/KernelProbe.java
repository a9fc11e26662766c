package org.uso4j.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.model.flux.DoubleStreamBlock;
import org.uso4j.model.flux.FluxConfig;
import org.uso4j.model.flux.SingleStreamBlock;
import org.uso4j.model.nn.Linear;

/**
 * Times the kernels a block is made of, one by one, at the block's shapes and with the block's own weights:
 * the GEMMs (GFLOP/s), attention (GFLOP/s), and the memory-bound LayerNorm + modulation, GELU, RoPE and gated
 * residual (GB/s). A quick in-process view; the JMH benchmarks in {@code org.uso4j.bench.jmh} are the careful one.
 */
final class KernelProbe {
    private final CpuBackend be;
    private final int warmup, reps;
    private final PrintStream log;

    KernelProbe(CpuBackend be, int warmup, int reps, PrintStream log) {
        this.be = be;
        this.warmup = warmup;
        this.reps = reps;
        this.log = log;
    }

    List<KernelTiming> run(FluxConfig cfg, UsoTokens tok, DoubleStreamBlock dbl, SingleStreamBlock sgl,
                           Tensor q, Tensor k, Tensor v, Tensor pe, SplittableRandom r) {
        int c = cfg.hiddenSize(), m = cfg.mlpHidden(), l = tok.total(), li = tok.img();
        List<KernelTiming> out = new ArrayList<>();
        Tensor xImg = BlockBench.random(r, 1, li, c), x = BlockBench.random(r, 1, l, c);
        Tensor xCat = BlockBench.random(r, 1, l, c + m);
        out.add(linear("linear img_attn.qkv", xImg, dbl.imgAttn().qkv()));
        out.add(linear("linear img_attn.proj", xImg, dbl.imgAttn().proj()));
        out.add(linear("linear single.linear1 (qkv+mlp_in)", x, sgl.linear1()));
        out.add(linear("linear single.linear2 (proj+mlp_out)", xCat, sgl.linear2()));

        int h = q.dim(1), d = q.dim(3);
        float scale = (float) (1 / Math.sqrt(d));
        double qkvBytes = 4.0 * 4 * q.numel();
        out.add(kernel("attention sdpa", "[1, " + h + ", " + l + ", " + d + "] x3", FluxFlops.attention(h, l, l, d), qkvBytes,
                () -> be.attention(q, k, v, scale, null, false)));
        out.add(kernel("rope (q)", "[1, " + h + ", " + l + ", " + d + "]", 0, 4.0 * (2 * q.numel() + pe.numel()), () -> be.rope(q, pe)));

        Tensor shift = BlockBench.random(r, 1, c), sc = BlockBench.random(r, 1, c), gate = BlockBench.random(r, 1, c);
        out.add(kernel("layerNorm + modulate", "[1, " + l + ", " + c + "]", 0, 4.0 * 4 * x.numel(),
                () -> be.modulate(be.layerNorm(x, null, null, 1e-6f), shift, sc)));
        Tensor mlp = BlockBench.random(r, 1, l, m);
        out.add(kernel("gelu (tanh)", "[1, " + l + ", " + m + "]", 0, 4.0 * 2 * mlp.numel(), () -> be.activate(mlp, Activation.GELU_TANH)));
        out.add(kernel("addGated", "[1, " + l + ", " + c + "]", 0, 4.0 * 3 * x.numel(), () -> be.addGated(x, gate, x)));
        return out;
    }

    private KernelTiming linear(String name, Tensor x, Linear lin) {
        Tensor w = lin.weight(), b = lin.bias();
        long rows = x.shape().rows();
        int in = w.dim(1), outF = w.dim(0);
        double bytes = 4.0 * rows * (in + outF) + w.dtype().byteSize(w.numel());
        String shape = "[" + rows + ", " + in + "] x [" + outF + ", " + in + "]^T " + w.dtype();
        return kernel(name, shape, FluxFlops.linear(rows, in, outF), bytes, () -> be.linear(x, w, b));
    }

    private KernelTiming kernel(String name, String shape, double flops, double bytes, Runnable work) {
        KernelTiming t = new KernelTiming(name, shape, flops, bytes, Samples.time(warmup, reps, work));
        if (flops > 0) {
            log.printf("  kernel %-38s %-40s %8.4f s  %7.1f GFLOP/s%n", name, shape, t.seconds(), t.gflops());
        } else {
            log.printf("  kernel %-38s %-40s %8.4f s  %7.1f GB/s%n", name, shape, t.seconds(), t.gbPerSecond());
        }
        return t;
    }
}
