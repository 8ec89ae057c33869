package org.rpg4j.examples.train;

import java.util.function.Supplier;

/**
 * Offered the {@link Trainer}'s state at every point where a run can be resumed from, once per
 * iteration (after the iteration, or after the epoch's evaluation when the iteration ended an
 * epoch). Implementations decide whether to write a checkpoint there.
 */
@FunctionalInterface
public interface CheckpointTrigger {
    /** Writes nothing. */
    CheckpointTrigger NONE = (iteration, state) -> {};

    /**
     * @param iteration training iterations done
     * @param state builds the trainer's state (call it only when writing)
     * @throws java.io.UncheckedIOException if a checkpoint is due and cannot be written
     */
    void offer(long iteration, Supplier<TrainerState> state);
}
