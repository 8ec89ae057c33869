package org.rpg4j.spark;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the executors report back for one averaging round, summed over tasks: how many tasks and
 * iterations ran, how often a masked weight was non-zero after an update (before the executor
 * zeroed it again), and the sum of the dense batch-mean gradients when the round captured them.
 * Mutable; not thread-safe (one instance per task, merged on the driver).
 */
public final class RoundScores implements Serializable {
    private static final long serialVersionUID = 1L;

    private long tasks;
    private long iterations;
    private long maxTaskIterations;
    private long maskViolations;
    private long gradientSteps;
    private long listenerSteps;
    private long rankSteps;
    private final LinkedHashMap<String, double[]> gradientSums = new LinkedHashMap<>();

    /** @return whether nothing has been recorded */
    public boolean isEmpty() {
        return tasks == 0 && iterations == 0 && maskViolations == 0 && gradientSteps == 0 && listenerSteps == 0
                && rankSteps == 0;
    }

    /** @return the tasks (executor partitions) that trained in the round */
    public long tasks() {
        return tasks;
    }

    /** @return the iterations (minibatches) trained, summed over tasks */
    public long iterations() {
        return iterations;
    }

    /** @return the most iterations one task trained in the round */
    public long maxTaskIterations() {
        return maxTaskIterations;
    }

    /** @return the updates after which some masked weight was non-zero before the executor re-masked it */
    public long maskViolations() {
        return maskViolations;
    }

    /** @return the captured gradients summed, over tasks and iterations */
    public long gradientSteps() {
        return gradientSteps;
    }

    /** @return the iterations at which rpg4j's executor listener masked the gradient, summed over tasks */
    public long listenerSteps() {
        return listenerSteps;
    }

    /** @return the iterations at which the executors added the rank-loss gradient, summed over tasks */
    public long rankSteps() {
        return rankSteps;
    }

    /** @return per tensor, the sum of the captured dense batch-mean gradients (C order); read-only */
    public Map<String, double[]> gradientSums() {
        return Collections.unmodifiableMap(gradientSums);
    }

    void taskStarted() {
        tasks++;
    }

    void iterationDone(long taskIterations, boolean violated) {
        iterations++;
        maxTaskIterations = Math.max(maxTaskIterations, taskIterations);
        if (violated) {
            maskViolations++;
        }
    }

    void listenerStep() {
        listenerSteps++;
    }

    void rankStep() {
        rankSteps++;
    }

    void gradientStep() {
        gradientSteps++;
    }

    void addGradient(String name, double[] gradient) {
        double[] sum = gradientSums.computeIfAbsent(name, k -> new double[gradient.length]);
        for (int i = 0; i < sum.length; i++) {
            sum[i] += gradient[i];
        }
    }

    /**
     * Adds another report into this one (counts summed, maxima taken, gradient sums added).
     *
     * @param other the report to add; not modified
     */
    void merge(RoundScores other) {
        tasks += other.tasks;
        iterations += other.iterations;
        maxTaskIterations = Math.max(maxTaskIterations, other.maxTaskIterations);
        maskViolations += other.maskViolations;
        gradientSteps += other.gradientSteps;
        listenerSteps += other.listenerSteps;
        rankSteps += other.rankSteps;
        other.gradientSums.forEach(this::addGradient);
    }

    RoundScores copy() {
        RoundScores c = new RoundScores();
        c.merge(this);
        return c;
    }
}
