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

        /** Called once the loop's inputs are on the backend, right before the first step. */
        default void beforeFirstStep() { }
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
        // every step's t_curr as one [steps + 1, B] tensor and the guidance vector, moved to the backend once:
        // a step uploads nothing
        Tensor tRows = be.toDevice(rows(timesteps, b));
        Tensor guidanceVec = dit.config().guidanceEmbed() ? be.toDevice(full(b, guidance)) : null;
        if (listener != null) listener.beforeFirstStep();
        for (int i = 0; i < steps; i++) {
            float tCurr = timesteps[i], tPrev = timesteps[i + 1];
            try (Backend.Scope scope = be.scope()) {
                if (trace != null) {
                    trace.accept("step" + i + ".t", full(1, tCurr));
                    trace.accept("step" + i + ".img_in", be.toHost(img));
                }
                FluxInputs in = new FluxInputs(img, cond.imgIds(), cond.txt(), cond.txtIds(), be.slice(tRows, 0, i, i + 1).reshape(b),
                        cond.y(), guidanceVec, cond.refImg(), cond.refImgIds(), cond.styleTokens());
                Tensor pred = dit.forward(be, in, cancel);
                if (trace != null) trace.accept("step" + i + ".pred", be.toHost(pred));
                img = scope.keep(be.addScaled(img, pred, (float) ((double) tPrev - (double) tCurr)));
            }
            if (listener != null) listener.afterStep(i, steps, img);
        }
        return img;
    }

    /** Row i of the [timesteps.length, b] result is {@code torch.full((b,), timesteps[i])}. */
    static Tensor rows(float[] timesteps, int b) {
        float[] v = new float[timesteps.length * b];
        for (int i = 0; i < timesteps.length; i++) java.util.Arrays.fill(v, i * b, (i + 1) * b, timesteps[i]);
        return Tensor.wrap(v, timesteps.length, b);
    }

    /** {@code torch.full((b,), value)}. */
    static Tensor full(int b, float value) {
        float[] v = new float[b];
        java.util.Arrays.fill(v, value);
        return Tensor.wrap(v, b);
    }

}
