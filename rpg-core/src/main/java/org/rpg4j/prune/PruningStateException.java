package org.rpg4j.prune;

/** A saved pruner state is missing, corrupt or does not fit the network it is restored into. */
public class PruningStateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong and what to do
     */
    public PruningStateException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong and what to do
     * @param cause the failure that revealed it
     */
    public PruningStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
