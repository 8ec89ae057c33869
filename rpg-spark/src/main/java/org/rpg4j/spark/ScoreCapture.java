package org.rpg4j.spark;

/** Whether the executors capture the dense gradient during a round (only before a topology update). */
public enum ScoreCapture {
    /** No capture: the round ends without a topology update. */
    NONE,
    /** Every executor sums its dense batch-mean gradient of each pruned tensor at every iteration. */
    DENSE_GRADIENT
}
