package org.uso4j.pipeline.sampling;

import java.util.function.BiConsumer;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.model.flux.FluxInputs;
import org.uso4j.model.nn.CancelCheck;
import org.uso4j.model.uso.UsoDit;

/**
 * The Euler loop of {@code uso/flux/sampling.py denoise}: for consecutive (t_curr, t_prev) pairs,
 * {@code img += (t_prev − t_curr) · model(img, t_curr, guidance)}; the conditioning stays fixed.
 */
public final class EulerSampler {
    /** Called after each step: (step index from 0, number of steps); throw to cancel. */
    public interface StepListener {
        void afterStep(int step, int steps, Tensor img);
    }

    private EulerSampler() {}

    /**
     * Runs the loop. {@code cond} carries txt/ids/vec/references/style tokens; its {@code img}, {@code timesteps} and
     * {@code guidance} are replaced each step. {@code trace} (nullable) receives {@code step{k}.img_in} and
     * {@code step{k}.pred}.
     */
    public static Tensor denoise(Backend be, UsoDit dit, FluxInputs cond, float[] timesteps, float guidance,
                                 StepListener listener, BiConsumer<String, Tensor> trace) {
        return denoise(be, dit, cond, timesteps, guidance, listener, trace, CancelCheck.NONE);
    }

    /** As above, polling {@code cancel} before every transformer block of every step. */
    public static Tensor denoise(Backend be, UsoDit dit, FluxInputs cond, float[] timesteps, float guidance,
                                 StepListener listener, BiConsumer<String, Tensor> trace, CancelCheck cancel) {
        Tensor img = cond.img();
        int b = img.dim(0), steps = timesteps.length - 1;
        Tensor guidanceVec = full(b, guidance);
        for (int i = 0; i < steps; i++) {
            float tCurr = timesteps[i], tPrev = timesteps[i + 1];
            if (trace != null) {
                trace.accept("step" + i + ".t", full(1, tCurr));
                trace.accept("step" + i + ".img_in", img);
            }
            FluxInputs in = new FluxInputs(img, cond.imgIds(), cond.txt(), cond.txtIds(), full(b, tCurr), cond.y(),
                    dit.config().guidanceEmbed() ? guidanceVec : null, cond.refImg(), cond.refImgIds(), cond.styleTokens());
            Tensor pred = dit.forward(be, in, cancel);
            if (trace != null) trace.accept("step" + i + ".pred", pred);
            img = be.add(img, be.scale(pred, (float) ((double) tPrev - (double) tCurr)));
            if (listener != null) listener.afterStep(i, steps, img);
        }
        return img;
    }

    /** {@code torch.full((b,), value)}. */
    static Tensor full(int b, float value) {
        float[] v = new float[b];
        java.util.Arrays.fill(v, value);
        return Tensor.wrap(v, b);
    }

}
