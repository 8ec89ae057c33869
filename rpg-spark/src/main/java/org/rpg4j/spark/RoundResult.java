package org.rpg4j.spark;

import java.util.Optional;

import org.rpg4j.prune.UpdateSummary;

/**
 * What one averaging round did.
 *
 * @param round the 0-based round
 * @param firstIteration the pruning iteration the round started at
 * @param iterations the iterations per worker in the round (the most any task ran)
 * @param tasks the tasks (partitions) that trained
 * @param maskViolations updates after which a masked weight on an executor was non-zero before the
 *     executor re-masked it (0 with the zero-preserving updaters: SGD, momentum, Adam, ...)
 * @param rankSteps iterations at which the executors added the rank-loss gradient, summed over tasks
 * @param update the topology update run on the driver after the round, if one was due
 * @param driverMillis driver time spent by rpg4j after the round (checks, topology update, next
 *     plan), in milliseconds
 */
public record RoundResult(long round, long firstIteration, long iterations, long tasks, long maskViolations,
                          long rankSteps,
                          Optional<UpdateSummary> update, double driverMillis) {}
