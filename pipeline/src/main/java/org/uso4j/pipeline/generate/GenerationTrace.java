package org.uso4j.pipeline.generate;

import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;

/**
 * Optional hooks into one generation, for verification and debugging: every intermediate is reported under the
 * golden names ({@code t5.input_ids}, {@code txt}, {@code vec}, {@code noise}, {@code ref0.latent}, {@code style0.tokens},
 * {@code step0.pred}, {@code latent_final}, {@code decoded}, ...), and the posterior noise of content image k can be
 * injected.
 */
public interface GenerationTrace {
    default void tensor(String name, Tensor value) { }

    /** ε for content image k (shape of the posterior mean), or null for the request's own posterior rule. */
    default Tensor posteriorEps(int k, Shape shape) { return null; }

    /**
     * Lets a verifier substitute a value the pipeline continues with (e.g. a reference latent whose bf16 rounding
     * may flip by one ulp against the golden); returns {@code value} by default.
     */
    default Tensor substitute(String name, Tensor value) { return value; }

    GenerationTrace NONE = new GenerationTrace() { };

    /**
     * {@code trace} seeing host tensors: what the pipeline reports is downloaded from {@code be} first, and what the
     * trace injects or substitutes is moved to {@code be}. {@link #NONE} stays NONE (nothing is downloaded).
     */
    static GenerationTrace onHost(GenerationTrace trace, Backend be) {
        if (trace == NONE) return NONE;
        return new GenerationTrace() {
            @Override public void tensor(String name, Tensor value) { trace.tensor(name, be.toHost(value)); }

            @Override public Tensor posteriorEps(int k, Shape shape) {
                Tensor eps = trace.posteriorEps(k, shape);
                return eps == null ? null : be.toDevice(eps.toF32());
            }

            @Override public Tensor substitute(String name, Tensor value) { return be.toDevice(trace.substitute(name, be.toHost(value))); }
        };
    }
}
