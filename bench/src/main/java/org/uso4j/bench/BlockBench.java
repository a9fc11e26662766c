package org.uso4j.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.uso4j.core.backend.cpu.simd.FmaPeak;
import java.util.SplittableRandom;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.core.io.WeightStore;
import org.uso4j.model.flux.DoubleStreamBlock;
import org.uso4j.model.flux.EmbedNd;
import org.uso4j.model.flux.FluxAttention;
import org.uso4j.model.flux.FluxConfig;
import org.uso4j.model.flux.SingleStreamBlock;
import org.uso4j.model.nn.Weights;

/**
 * The end-to-end block benchmark: one FLUX.1-dev {@link DoubleStreamBlock} and one {@link SingleStreamBlock} at real
 * width (hidden 3072, 24 heads of 128, MLP 12288, qkv bias) with random weights in one {@link WeightFormat}, run at
 * the token counts of a USO run, plus attention alone and the rest of a step (txt_in, img_in, final layer). Each
 * piece is warmed up, then timed several times; medians are reported and extrapolated to a 25-step image.
 */
public final class BlockBench {
    /** FLUX.1-dev's default number of denoising steps in USO's inference.py. */
    public static final int STEPS_PER_IMAGE = 25;

    /**
     * @param size     output image side in pixels (256, 512, 1024)
     * @param refSize  content reference long side in pixels (USO's content_ref, 512)
     * @param format   weight storage format of every matrix
     * @param warmup   untimed runs before timing
     * @param reps     timed runs (the median is reported)
     * @param kernels  whether to time the individual kernels at block shapes as well
     * @param seed     random weights and inputs
     */
    public record Options(int size, int refSize, WeightFormat format, int warmup, int reps, boolean kernels, long seed) {
        public Options {
            if (warmup < 0 || reps < 1) throw new IllegalArgumentException("need warmup >= 0 and reps >= 1, got " + warmup + ", " + reps);
        }
    }

    private BlockBench() {}

    public static BlockBenchResult run(Options o, CpuBackend be, PrintStream log) {
        FluxConfig cfg = FluxConfig.dev();
        UsoTokens tok = UsoTokens.square(o.size(), o.refSize());
        int c = cfg.hiddenSize();
        log.printf("bench blocks: %d² USO (%d txt+style + %d image+reference = %d tokens), %s weights, %s%n",
                o.size(), tok.txt(), tok.img(), tok.total(), o.format().cliName(), be.name());

        long t0 = System.nanoTime();
        WeightStore store = RandomWeights.store(o.format(), o.seed());
        Weights w = new Weights(store);
        DoubleStreamBlock dbl = new DoubleStreamBlock(w.at("double_blocks").at(0), cfg);
        SingleStreamBlock sgl = new SingleStreamBlock(w.at("single_blocks").at(0), cfg);
        store.requireAllUsed("FLUX blocks");
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        log.printf("  built random blocks in %.1f s: %s%n", buildSeconds, store.summary("blocks"));
        long weightBytes = weightBytes(store);

        SplittableRandom r = new SplittableRandom(o.seed() + 1);
        Tensor img = random(r, 1, tok.img(), c), txt = random(r, 1, tok.txt(), c), vec = random(r, 1, c);
        Tensor x = random(r, 1, tok.total(), c);
        Tensor pe = new EmbedNd(cfg.theta(), cfg.axesDim()).forward(be, ids(tok, o.size(), o.refSize()));
        int h = cfg.numHeads(), d = cfg.headDim(), l = tok.total();
        Tensor q = random(r, 1, h, l, d), k = random(r, 1, h, l, d), v = random(r, 1, h, l, d);

        Samples dblT = timed(log, "double block", o, () -> dbl.forward(be, img, txt, vec, pe));
        Samples sglT = timed(log, "single block", o, () -> sgl.forward(be, x, vec, pe));
        Samples attT = timed(log, "attention (rope + sdpa + merge)", o, () -> FluxAttention.attention(be, q, k, v, pe));
        StepRest rest = new StepRest(cfg, tok, o.format(), o.seed() + 2);
        Samples restT = timed(log, "rest of a step (txt_in, img_in, final layer)", o, () -> rest.forward(be));

        List<KernelTiming> kernels = new ArrayList<>();
        if (o.kernels()) {
            KernelProbe probe = new KernelProbe(be, o.warmup(), o.reps(), log);
            kernels.addAll(probe.run(cfg, tok, dbl, sgl, q, k, v, pe, r));
        }
        // best of two measurements (the JIT's compiler threads can take a core from one of them)
        double peak = Math.max(FmaPeak.gflops(be.threads(), 0.3, 3), FmaPeak.gflops(be.threads(), 0.3, 3));
        log.printf("  measured f32 FMA peak: %.1f GFLOP/s on %d threads%n", peak, be.threads());
        return new BlockBenchResult(o, MachineInfo.current(), be.threads(), be.precision(), tok, new FluxFlops(cfg, tok), cfg,
                buildSeconds, weightBytes, dblT, sglT, attT, restT, kernels, MachineInfo.peakRssBytes(), peak);
    }

    private static Samples timed(PrintStream log, String what, Options o, Runnable work) {
        Samples s = Samples.time(o.warmup(), o.reps(), work);
        log.printf("  %-48s median %8.3f s  (min %.3f, max %.3f, %d runs)%n", what, s.median(), s.min(), s.max(), s.seconds().length);
        return s;
    }

    private static long weightBytes(WeightStore store) {
        long n = 0;
        for (String key : store.keys()) {
            WeightStore.Entry e = store.entry(key).orElseThrow();
            n += e.dtype().byteSize(e.shape().numel());
        }
        return n;
    }

    static Tensor random(SplittableRandom r, int... dims) {
        int n = 1;
        for (int dim : dims) n = Math.multiplyExact(n, dim);
        return Tensor.wrap(RandomWeights.gaussian(r, n, 0, 1), dims);
    }

    /**
     * Position ids as USO builds them: txt + style tokens (0, 0, 0); target tokens (0, row, col); the reference
     * offset by the target's packed size on both axes (pe "d").
     */
    static Tensor ids(UsoTokens tok, int size, int refSize) {
        float[] ids = new float[tok.total() * 3];
        int at = tok.txt() * 3;
        int side = size / 16, refSide = refSize / 16;
        for (int row = 0; row < side; row++)
            for (int col = 0; col < side; col++, at += 3) {
                ids[at + 1] = row;
                ids[at + 2] = col;
            }
        for (int row = 0; row < refSide; row++)
            for (int col = 0; col < refSide; col++, at += 3) {
                ids[at + 1] = row + side;
                ids[at + 2] = col + side;
            }
        return Tensor.wrap(ids, 1, tok.total(), 3);
    }
}
