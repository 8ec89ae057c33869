package org.rpg4j.benchmarks.sparse;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import org.rpg4j.dl4j.deploy.runner.KernelPolicy;
import org.rpg4j.dl4j.deploy.runner.SparseRunner;

/**
 * The runner against DL4J in thread CPU time on one thread: usable when the machine is not idle, where
 * wall times of 2-thread runs measure the scheduler (oneDNN's threads wait at their barriers for a
 * preempted partner). Run the JVM with {@code OMP_NUM_THREADS=1} (ND4J and oneDNN on the calling thread)
 * and {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=0} (the sparse kernels on the
 * calling thread), so the calling thread's CPU time is all the work. Networks as in
 * {@link NetworkInferenceBenchmark}. After 8 warm-up calls of each (the runner's calibration), DL4J and
 * the runner alternate {@code calls} times; printed: the fastest and the median CPU time per call of
 * each and their ratio.
 *
 * <p>Usage: {@code RunnerCpuTime MODEL VARIANT BATCH [calls] [policy]}, e.g. {@code RunnerCpuTime RESNET56 RPG98 32
 * 10}; a {@link KernelPolicy} other than the default {@code MEASURED} ({@code DENSE}, {@code SPARSE}) fixes every
 * layer's kernel, so that two builds compare with the same choices (the measured choice swings with the load).
 */
public final class RunnerCpuTime {

    private static final int WARM_UP = 8;

    private RunnerCpuTime() {
    }

    /**
     * @param args model, variant (U0, U90, U95, U98, RPG95, RPG98), batch, calls (default 10), kernel policy (default
     *     MEASURED)
     * @throws IOException if the RPG-pruned weights cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        RunnerCase run = RunnerCase.load("RunnerCpuTime", args, "[calls] [policy]");
        int calls = RunnerCase.count(args, 3, "calls", 10);
        KernelPolicy policy = RunnerCase.option(args, 4, KernelPolicy.MEASURED);
        SparseRunner runner = run.warmRunner(policy, WARM_UP);
        double[] dl4j = new double[calls];
        double[] sparse = new double[calls];
        for (int c = 0; c < calls; c++) {
            double[] millis = run.cpuMillisOfOneCallEach(runner);
            dl4j[c] = millis[0];
            sparse[c] = millis[1];
        }
        Arrays.sort(dl4j);
        Arrays.sort(sparse);
        System.out.printf(Locale.ROOT, "cpu time %s %s %s batch %d, %d calls: DL4J min %.1f median %.1f ms, runner min "
                + "%.1f median %.1f ms; speed-up %.2fx (min) %.2fx (median)%n", run.model(), run.variant(), policy,
                run.batch(), calls,
                dl4j[0],
                dl4j[calls / 2], sparse[0], sparse[calls / 2], dl4j[0] / sparse[0], dl4j[calls / 2] / sparse[calls
                        / 2]);
    }
}
