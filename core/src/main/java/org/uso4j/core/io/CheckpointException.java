package org.uso4j.core.io;

/** A checkpoint file is malformed, hostile, or does not hold what a network needs. The message names the file and key. */
public final class CheckpointException extends RuntimeException {
    public CheckpointException(String message) { super(message); }
    public CheckpointException(String message, Throwable cause) { super(message, cause); }
}
