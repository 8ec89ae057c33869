package org.rpg4j.dl4j.deploy.runner;

import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * Options of {@link SparseRunner#compile}: an immutable value; start from {@link #defaults()}.
 *
 * @param policy how each layer's kernel is chosen
 * @param calibrationRuns timed runs of each kernel per layer and batch size under
 *     {@link KernelPolicy#MEASURED} (the fastest run counts), &ge; 1
 * @param threading how the sparse kernels use threads
 */
public record RunnerOptions(KernelPolicy policy, int calibrationRuns, KernelThreading threading) {

    /**
     * Validates the options.
     *
     * @param policy how each layer's kernel is chosen, not null
     * @param calibrationRuns timed runs of each kernel per layer and batch size, &ge; 1
     * @param threading how the sparse kernels use threads, not null
     * @throws IllegalArgumentException if an argument is null or {@code calibrationRuns < 1}
     */
    public RunnerOptions {
        if (policy == null || threading == null) {
            throw new IllegalArgumentException("policy and threading must not be null");
        }
        if (calibrationRuns < 1) {
            throw new IllegalArgumentException("calibrationRuns must be >= 1, got " + calibrationRuns);
        }
    }

    /** @return measured choice, 3 calibration runs, all cores */
    public static RunnerOptions defaults() {
        return new RunnerOptions(KernelPolicy.MEASURED, 3, KernelThreading.COMMON_POOL);
    }

    /**
     * @param newPolicy the kernel policy
     * @return a copy with that policy
     */
    public RunnerOptions withPolicy(KernelPolicy newPolicy) {
        return new RunnerOptions(newPolicy, calibrationRuns, threading);
    }

    /**
     * @param runs timed runs per kernel, &ge; 1
     * @return a copy with that number of calibration runs
     */
    public RunnerOptions withCalibrationRuns(int runs) {
        return new RunnerOptions(policy, runs, threading);
    }

    /**
     * @param newThreading how the sparse kernels use threads
     * @return a copy with that threading
     */
    public RunnerOptions withThreading(KernelThreading newThreading) {
        return new RunnerOptions(policy, calibrationRuns, newThreading);
    }
}
