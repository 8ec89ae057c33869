package org.rpg4j.dl4j.parallel;

import org.rpg4j.prune.RankStep;

/**
 * What every replica does in one round (one iteration per replica), decided on ParallelWrapper's
 * main thread before the round's data is handed out.
 *
 * @param iteration the pruning iteration of the round, {@code >= 0}
 * @param capture whether the round is an update iteration (each replica captures its dense gradient)
 * @param rank the rank step every replica adds to its gradient, or null for none
 */
record RoundPlan(long iteration, boolean capture, RankStep rank) {}
