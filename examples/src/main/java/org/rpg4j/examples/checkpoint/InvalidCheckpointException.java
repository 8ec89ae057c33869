package org.rpg4j.examples.checkpoint;

/** A checkpoint that fails its checks; the message names the file at fault and what is wrong. */
public final class InvalidCheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the file at fault and what is wrong with it */
    public InvalidCheckpointException(String message) {
        super(message);
    }
}
