package org.rpg4j.examples.checkpoint;

/**
 * When checkpoints are written and how many are kept. A checkpoint is due after an iteration whose
 * count is a multiple of {@code everyIterations}, or when {@code everyMinutes} have passed since the
 * last one (or since the run started or resumed); either rule may be off (0).
 *
 * @param everyIterations iterations between checkpoints, {@code >= 0}; 0 = not by count
 * @param everyMinutes minutes between checkpoints, finite and {@code >= 0}; 0 = not by time
 * @param keep checkpoints kept, the newest ones, {@code >= 1}
 */
public record CheckpointPolicy(int everyIterations, double everyMinutes, int keep) {
    /** No checkpoints. */
    public static final CheckpointPolicy NEVER = new CheckpointPolicy(0, 0, 1);

    /** @throws IllegalArgumentException naming the command-line option of the first invalid value */
    public CheckpointPolicy {
        if (everyIterations < 0) {
            throw new IllegalArgumentException("--checkpoint-every must be >= 0 iterations (0 = off), got "
                    + everyIterations);
        }
        if (!(everyMinutes >= 0) || Double.isInfinite(everyMinutes)) {
            throw new IllegalArgumentException("--checkpoint-minutes must be finite and >= 0 (0 = off), got "
                    + everyMinutes);
        }
        if (keep < 1) {
            throw new IllegalArgumentException("--keep-checkpoints must be >= 1, got " + keep);
        }
    }

    /** @return whether any checkpoint will be written */
    public boolean enabled() {
        return everyIterations > 0 || everyMinutes > 0;
    }

    /**
     * @param iteration training iterations done
     * @param secondsSinceLast seconds since the last checkpoint (or the start of this process's training)
     * @return whether a checkpoint is due now
     */
    public boolean due(long iteration, double secondsSinceLast) {
        return (everyIterations > 0 && iteration % everyIterations == 0)
                || (everyMinutes > 0 && secondsSinceLast >= everyMinutes * 60);
    }
}
