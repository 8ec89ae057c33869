package org.rpg4j.prune;

/** A saved pruner state is missing, corrupt or does not fit the network it is restored into. */
public class PruningStateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PruningStateException(String message) {
        super(message);
    }

    public PruningStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
