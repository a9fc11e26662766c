package org.uso4j.pipeline.generate;

import org.uso4j.core.Tensor;

/**
 * Fails a generation at the first intermediate holding NaN or ±Inf (encoder outputs, the latents after every step,
 * the decoded image) instead of writing an all-black PNG; off with {@code --allow-nonfinite}. The tensors checked
 * are the small ones between stages (at most a few MB), read once each.
 */
record FiniteCheck(boolean enabled) {
    /** Throws {@link NonFiniteException} naming {@code where} when {@code t} holds a non-finite value. */
    void require(Tensor t, String where) {
        if (!enabled) return;
        float[] v = t.toF32().floats();
        long nan = 0, inf = 0;
        for (float x : v) {
            if (Float.isNaN(x)) nan++;
            else if (Float.isInfinite(x)) inf++;
        }
        if (nan + inf > 0) throw new NonFiniteException(where, nan, inf, v.length);
    }
}
