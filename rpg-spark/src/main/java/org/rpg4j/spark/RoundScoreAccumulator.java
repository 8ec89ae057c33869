package org.rpg4j.spark;

import org.apache.spark.util.AccumulatorV2;

/**
 * A Spark accumulator of {@link RoundScores}: each task adds to its own copy, the driver merges the
 * copies of the finished tasks. Registered once on the driver by {@link SparkPruning}.
 */
public final class RoundScoreAccumulator extends AccumulatorV2<RoundScores, RoundScores> {
    private static final long serialVersionUID = 1L;

    private RoundScores scores = new RoundScores();

    @Override
    public boolean isZero() {
        return scores.isEmpty();
    }

    @Override
    public AccumulatorV2<RoundScores, RoundScores> copy() {
        RoundScoreAccumulator c = new RoundScoreAccumulator();
        c.scores = scores.copy();
        return c;
    }

    @Override
    public void reset() {
        scores = new RoundScores();
    }

    @Override
    public void add(RoundScores v) {
        scores.merge(v);
    }

    @Override
    public void merge(AccumulatorV2<RoundScores, RoundScores> other) {
        scores.merge(other.value());
    }

    @Override
    public RoundScores value() {
        return scores;
    }

    /** @return this task's (or, on the driver, the merged) report, to record into */
    RoundScores local() {
        return scores;
    }
}
