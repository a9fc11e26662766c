package org.uso4j.model.nn;

/**
 * Polled by long model computations between their blocks and layers (FLUX blocks, the VAE's resolution levels), so
 * that a cancel or a shutdown takes effect within one block rather than one whole step. The caller decides what
 * cancelled means and throws its own exception from {@link #check}; the model only says where it is.
 */
@FunctionalInterface
public interface CancelCheck {
    /** Throws to stop the computation; {@code where} names the block about to run ("double block 3"). */
    void check(String where);

    /** Never cancels. */
    CancelCheck NONE = where -> { };
}
