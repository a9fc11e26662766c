package org.uso4j.pipeline.generate;

/** A generation stopped because its {@link Progress} asked to; no result exists. */
public final class GenerationCancelledException extends RuntimeException {
    public GenerationCancelledException(String where) { super("generation cancelled during " + where); }
}
