package org.uso4j.pipeline.generate;

import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;

/**
 * Fails a generation at the first intermediate holding NaN or ±Inf (encoder outputs, the latents after every step,
 * the decoded image) instead of writing an all-black PNG; off with {@code --allow-nonfinite}. The tensors checked
 * are the small ones between stages (at most a few MB); the backend checks them where they are
 * ({@link Backend#allFinite}) and only a failing one is downloaded, to count what is wrong.
 */
record FiniteCheck(boolean enabled, Backend be) {
    /** Throws {@link NonFiniteException} naming {@code where} when {@code t} holds a non-finite value. */
    void require(Tensor t, String where) {
        if (!enabled || be.allFinite(t)) return;
        float[] v = be.toHost(t).toF32().floats();
        long nan = 0, inf = 0;
        for (float x : v) {
            if (Float.isNaN(x)) nan++;
            else if (Float.isInfinite(x)) inf++;
        }
        if (nan + inf > 0) throw new NonFiniteException(where, nan, inf, v.length);
    }
}
