package org.rpg4j.dl4j.deploy.runner;

import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * Options of {@link SparseRunner#compile}: an immutable value; start from {@link #defaults()}.
 *
 * @param policy how each layer's kernel is chosen
 * @param calibrationRuns calls with a new batch size, after a first warm-up call, whose timed runs of each kernel
 *     (one per call) decide under {@link KernelPolicy#MEASURED} (the fastest run counts; a kernel losing by a clear
 *     margin stops being timed earlier; two kernels within 1.25x of each other are timed over up to as many calls
 *     more), &ge; 1
 * @param threading how the sparse kernels use threads
 * @param coverage which layers besides convolutions and dense layers run on Java arrays
 * @param nativeThreading which threads run the native (dense) ops
 */
public record RunnerOptions(KernelPolicy policy, int calibrationRuns, KernelThreading threading,
                            StepCoverage coverage, NativeThreading nativeThreading) {

    /**
     * Validates the options.
     *
     * @param policy how each layer's kernel is chosen, not null
     * @param calibrationRuns calls after the warm-up call whose timed runs decide, &ge; 1
     * @param threading how the sparse kernels use threads, not null
     * @param coverage which layers besides convolutions and dense layers run on Java arrays, not null
     * @param nativeThreading which threads run the native (dense) ops, not null
     * @throws IllegalArgumentException if an argument is null or {@code calibrationRuns < 1}
     */
    public RunnerOptions {
        if (policy == null || threading == null || coverage == null || nativeThreading == null) {
            throw new IllegalArgumentException("policy, threading, coverage and nativeThreading must not be null, got "
                    + policy + ", " + threading + ", " + coverage + " and " + nativeThreading);
        }
        if (calibrationRuns < 1) {
            throw new IllegalArgumentException("calibrationRuns must be >= 1, got " + calibrationRuns);
        }
    }

    /**
     * Options with the default native threading ({@link NativeThreading#JAVA_THREADS}).
     *
     * @param policy how each layer's kernel is chosen, not null
     * @param calibrationRuns calls after the warm-up call whose timed runs decide, &ge; 1
     * @param threading how the sparse kernels use threads, not null
     * @param coverage which layers besides convolutions and dense layers run on Java arrays, not null
     * @throws IllegalArgumentException if an argument is null or {@code calibrationRuns < 1}
     */
    public RunnerOptions(KernelPolicy policy, int calibrationRuns, KernelThreading threading, StepCoverage coverage) {
        this(policy, calibrationRuns, threading, coverage, NativeThreading.JAVA_THREADS);
    }

    /**
     * Options with the default coverage ({@link StepCoverage#KERNELS_AND_POOLING}) and native threading.
     *
     * @param policy how each layer's kernel is chosen, not null
     * @param calibrationRuns calls after the warm-up call whose timed runs decide, &ge; 1
     * @param threading how the sparse kernels use threads, not null
     * @throws IllegalArgumentException if an argument is null or {@code calibrationRuns < 1}
     */
    public RunnerOptions(KernelPolicy policy, int calibrationRuns, KernelThreading threading) {
        this(policy, calibrationRuns, threading, StepCoverage.KERNELS_AND_POOLING);
    }

    /**
     * @return measured choice decided over 3 calls after the warm-up call, one thread or all cores per batch size as
     *     measured ({@link KernelThreading#PER_CALL}), pooling on Java arrays, native ops split over the runner's
     *     Java threads
     */
    public static RunnerOptions defaults() {
        return new RunnerOptions(KernelPolicy.MEASURED, 3, KernelThreading.PER_CALL,
                StepCoverage.KERNELS_AND_POOLING, NativeThreading.JAVA_THREADS);
    }

    /**
     * @param newPolicy the kernel policy
     * @return a copy with that policy
     * @throws IllegalArgumentException if it is null
     */
    public RunnerOptions withPolicy(KernelPolicy newPolicy) {
        return new RunnerOptions(newPolicy, calibrationRuns, threading, coverage, nativeThreading);
    }

    /**
     * @param runs calls after the warm-up call whose timed runs decide, &ge; 1
     * @return a copy with that number of calibration runs
     * @throws IllegalArgumentException if {@code runs < 1}
     */
    public RunnerOptions withCalibrationRuns(int runs) {
        return new RunnerOptions(policy, runs, threading, coverage, nativeThreading);
    }

    /**
     * @param newThreading how the sparse kernels use threads
     * @return a copy with that threading
     * @throws IllegalArgumentException if it is null
     */
    public RunnerOptions withThreading(KernelThreading newThreading) {
        return new RunnerOptions(policy, calibrationRuns, newThreading, coverage, nativeThreading);
    }

    /**
     * @param newCoverage which layers besides convolutions and dense layers run on Java arrays
     * @return a copy with that coverage
     * @throws IllegalArgumentException if it is null
     */
    public RunnerOptions withCoverage(StepCoverage newCoverage) {
        return new RunnerOptions(policy, calibrationRuns, threading, newCoverage, nativeThreading);
    }

    /**
     * @param newNativeThreading which threads run the native (dense) ops
     * @return a copy with that native threading
     * @throws IllegalArgumentException if it is null
     */
    public RunnerOptions withNativeThreading(NativeThreading newNativeThreading) {
        return new RunnerOptions(policy, calibrationRuns, threading, coverage, newNativeThreading);
    }
}
