package org.uso4j.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.uso4j.core.DType;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.core.backend.MatmulPrecision;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.model.flux.Flux;
import org.uso4j.model.flux.FluxConfig;
import org.uso4j.model.flux.FluxInputs;
import org.uso4j.pipeline.generate.DemoModel;
import org.uso4j.pipeline.sampling.Latents;
import org.uso4j.pipeline.sampling.PositionEmbedding;

/**
 * A check that needs no files: a small FLUX with random weights (f32 and bf16), a forward pass with a content
 * reference and style tokens on the fast backend and on the scalar reference, compared element by element; where the
 * CPU has AMX, also the bf16 tile path against the scalar reference (to bf16 accuracy).
 */
public final class SelfTest {
    /** One compared configuration. */
    public record Result(String what, double maxAbsDiff, double tolerance, long fastMillis, long scalarMillis) {
        public boolean passed() { return maxAbsDiff <= tolerance; }
    }

    private SelfTest() {}

    public static List<Result> run(CpuBackend fast) {
        FluxConfig cfg = new FluxConfig(64, 32, 48, 96, 4.0, 4, 2, 2, new int[]{4, 10, 10}, 10000, true, true);
        List<Result> out = new ArrayList<>();
        for (DType dtype : new DType[]{DType.F32, DType.BF16}) {
            Flux flux = new Flux(DemoModel.recording(null, new SplittableRandom(7), dtype), cfg);
            FluxInputs in = inputs(fast, cfg);
            long t0 = System.nanoTime();
            Tensor a = flux.forward(fast, in);
            long t1 = System.nanoTime();
            Tensor b = flux.forward(new ScalarBackend(), in);
            long t2 = System.nanoTime();
            out.add(new Result("FLUX forward, " + dtype + " weights, 1 content ref + style tokens", maxAbsDiff(a, b), 1e-4,
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000));
            if (dtype == DType.BF16 && MatmulPrecision.bf16Available()) {
                try (CpuBackend amx = new CpuBackend(fast.threads(), MatmulPrecision.BF16)) {
                    long t3 = System.nanoTime();
                    Tensor c = flux.forward(amx, in);
                    long t4 = System.nanoTime();
                    // bf16 activations: about 2^-9 relative per product, through 4 blocks
                    out.add(new Result("FLUX forward, BF16 weights, bf16 products on AMX tiles (vs float32)", maxAbsDiff(c, b),
                            2e-2 * Math.max(1, maxAbs(b)), (t4 - t3) / 1_000_000, (t2 - t1) / 1_000_000));
                }
            }
        }
        return out;
    }

    static double maxAbs(Tensor a) {
        double m = 0;
        for (float v : a.floats()) m = Math.max(m, Math.abs(v));
        return m;
    }

    private static FluxInputs inputs(Backend be, FluxConfig cfg) {
        SplittableRandom r = new SplittableRandom(42);
        Latents.Prepared p = Latents.prepareMultiIp(be, DemoModel.gaussian(r, 1, 16, 10, 14), List.of(DemoModel.gaussian(r, 1, 16, 6, 8)), PositionEmbedding.D);
        Tensor txt = DemoModel.gaussian(r, 1, 9, cfg.contextInDim());
        return new FluxInputs(p.img(), p.imgIds(), txt, Latents.txtIds(be, 1, 9), Tensor.wrap(new float[]{0.7f}, 1),
                DemoModel.gaussian(r, 1, cfg.vecInDim()), Tensor.wrap(new float[]{4f}, 1), p.refImg(), p.refImgIds(),
                List.of(DemoModel.gaussian(r, 1, 12, cfg.hiddenSize())));
    }

    static double maxAbsDiff(Tensor a, Tensor b) {
        float[] x = a.floats(), y = b.floats();
        double m = 0;
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs((double) x[i] - y[i]));
        return Double.isNaN(m) ? Double.POSITIVE_INFINITY : m;
    }
}
