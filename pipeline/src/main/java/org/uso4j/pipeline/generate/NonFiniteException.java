package org.uso4j.pipeline.generate;

/**
 * NaN or infinite values in an intermediate of a generation (broken weights or inputs: the image would be black or
 * noise). Names the stage and step where they first appeared.
 */
public final class NonFiniteException extends RuntimeException {
    public NonFiniteException(String where, long nan, long inf, long total) {
        super("non-finite values in " + where + ": " + nan + " NaN and " + inf + " infinite of " + total
                + " values; the model weights or inputs are broken (--allow-nonfinite keeps going, for debugging)");
    }
}
