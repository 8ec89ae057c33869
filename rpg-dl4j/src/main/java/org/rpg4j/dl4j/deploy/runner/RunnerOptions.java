package org.rpg4j.dl4j.deploy.runner;

import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * Options of {@link SparseRunner#compile}: an immutable value; start from {@link #defaults()}.
 *
 * @param policy how each layer's kernel is chosen
 * @param calibrationRuns timed runs of each kernel per layer and batch size under
 *     {@link KernelPolicy#MEASURED} (the fastest run counts), &ge; 1
 * @param threading how the sparse kernels use threads
 * @param coverage which layers besides convolutions and dense layers run on Java arrays
 */
public record RunnerOptions(KernelPolicy policy, int calibrationRuns, KernelThreading threading,
                            StepCoverage coverage) {

    /**
     * Validates the options.
     *
     * @param policy how each layer's kernel is chosen, not null
     * @param calibrationRuns timed runs of each kernel per layer and batch size, &ge; 1
     * @param threading how the sparse kernels use threads, not null
     * @param coverage which layers besides convolutions and dense layers run on Java arrays, not null
     * @throws IllegalArgumentException if an argument is null or {@code calibrationRuns < 1}
     */
    public RunnerOptions {
        if (policy == null || threading == null || coverage == null) {
            throw new IllegalArgumentException("policy, threading and coverage must not be null");
        }
        if (calibrationRuns < 1) {
            throw new IllegalArgumentException("calibrationRuns must be >= 1, got " + calibrationRuns);
        }
    }

    /**
     * Options with the default coverage ({@link StepCoverage#KERNELS_AND_POOLING}).
     *
     * @param policy how each layer's kernel is chosen, not null
     * @param calibrationRuns timed runs of each kernel per layer and batch size, &ge; 1
     * @param threading how the sparse kernels use threads, not null
     * @throws IllegalArgumentException if an argument is null or {@code calibrationRuns < 1}
     */
    public RunnerOptions(KernelPolicy policy, int calibrationRuns, KernelThreading threading) {
        this(policy, calibrationRuns, threading, StepCoverage.KERNELS_AND_POOLING);
    }

    /** @return measured choice, 3 calibration runs, all cores, pooling on Java arrays */
    public static RunnerOptions defaults() {
        return new RunnerOptions(KernelPolicy.MEASURED, 3, KernelThreading.COMMON_POOL,
                StepCoverage.KERNELS_AND_POOLING);
    }

    /**
     * @param newPolicy the kernel policy
     * @return a copy with that policy
     */
    public RunnerOptions withPolicy(KernelPolicy newPolicy) {
        return new RunnerOptions(newPolicy, calibrationRuns, threading, coverage);
    }

    /**
     * @param runs timed runs per kernel, &ge; 1
     * @return a copy with that number of calibration runs
     */
    public RunnerOptions withCalibrationRuns(int runs) {
        return new RunnerOptions(policy, runs, threading, coverage);
    }

    /**
     * @param newThreading how the sparse kernels use threads
     * @return a copy with that threading
     */
    public RunnerOptions withThreading(KernelThreading newThreading) {
        return new RunnerOptions(policy, calibrationRuns, newThreading, coverage);
    }

    /**
     * @param newCoverage which layers besides convolutions and dense layers run on Java arrays
     * @return a copy with that coverage
     */
    public RunnerOptions withCoverage(StepCoverage newCoverage) {
        return new RunnerOptions(policy, calibrationRuns, threading, newCoverage);
    }
}
