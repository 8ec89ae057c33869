package org.rpg4j.dl4j;

import org.deeplearning4j.earlystopping.scorecalc.ScoreCalculator;
import org.deeplearning4j.nn.api.Model;

/**
 * Wraps an early-stopping {@link ScoreCalculator} so that DL4J's early stopping can only keep a
 * model that has reached the pruning target: until {@link Pruning#reachedTarget()} the score is the
 * worst possible ({@code +Infinity} when minimising, {@code -Infinity} when maximising), so no epoch
 * before the target becomes the "best model" (the reference reports accuracy only after the target
 * is reached). Pair it with a termination condition that cannot stop before the target (a fixed
 * epoch count, or a patience longer than the pruning ramp). Not serialisable with the early-stopping
 * configuration's JSON (it holds the live {@link Pruning} handle).
 *
 * @param <T> the network type
 */
public final class TargetSparsityScoreCalculator<T extends Model> implements ScoreCalculator<T> {
    private static final long serialVersionUID = 1L;

    private final transient Pruning pruning;
    private final ScoreCalculator<T> delegate;

    /**
     * @param pruning the run whose target gates the scores
     * @param delegate the score of a model that has reached the target
     * @throws IllegalArgumentException if an argument is null
     */
    public TargetSparsityScoreCalculator(Pruning pruning, ScoreCalculator<T> delegate) {
        if (pruning == null || delegate == null) {
            throw new IllegalArgumentException((pruning == null ? "pruning" : "delegate") + " must not be null");
        }
        this.pruning = pruning;
        this.delegate = delegate;
    }

    @Override
    public double calculateScore(T network) {
        if (!pruning.reachedTarget()) {
            return delegate.minimizeScore() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        }
        return delegate.calculateScore(network);
    }

    @Override
    public boolean minimizeScore() {
        return delegate.minimizeScore();
    }
}
