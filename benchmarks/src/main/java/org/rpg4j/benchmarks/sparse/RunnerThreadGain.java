package org.rpg4j.benchmarks.sparse;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ForkJoinPool;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.rpg4j.dl4j.deploy.runner.KernelPolicy;
import org.rpg4j.dl4j.deploy.runner.RunnerOptions;
import org.rpg4j.dl4j.deploy.runner.SparseRunner;
import org.rpg4j.dl4j.deploy.runner.StepTime;
import org.rpg4j.sparse.kernel.CallThreads;
import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * What the second core gives each step of the default runner (as {@link NetworkInferenceBenchmark} runs it): after
 * {@code warm-up} calls (calibration and the whole-call thread race), {@code rounds} rounds each profile calls with
 * every step on the calling thread ({@link CallThreads#CALLER}) and under the runner's two-thread rule
 * ({@link CallThreads#POOL_ABOVE_THRESHOLD}: the Java kernels on the caller and the common pool, a oneDNN step split
 * by images over the same two Java threads), in alternating order, each on three clocks: wall time, the CPU time of
 * the caller and the pool's workers together, and the caller's CPU time; and time DL4J's whole call after libnd4j's
 * {@code setOmpNumThreads(1)} and {@code (2)} on the calling thread (both run on two cores: the oneDNN of rpg4j's fast
 * layers does not follow that count, {@code benchmarks/src/threads/OmpCheck.java}). Printed: each step's fastest time per clock and choice, the wall-time
 * speed-up and the CPU time the two threads spend together against one thread's (above 1: work that splitting adds,
 * or a slower core under the other's memory traffic); the sums, the whole calls' fastest and median wall times, and
 * the runner's report (its last notes say which thread choice the runner kept). Under load the wall times of two
 * threads measure the scheduler; the CPU columns do not (a step's ideal two-thread wall time is about half its
 * two-thread CPU time when the split is even). Kernel choices are the runner's own, made before the rounds.
 *
 * <p>Usage: {@code RunnerThreadGain MODEL VARIANT BATCH [warm-up] [rounds] [policy]}, e.g. {@code RunnerThreadGain
 * VGG19 RPG98 32 80 12}; a {@link KernelPolicy} other than the default {@code MEASURED} ({@code DENSE}, {@code SPARSE})
 * fixes every layer's kernel, so that both kernels' gains can be read per layer.
 */
public final class RunnerThreadGain {

    private RunnerThreadGain() {
    }

    /**
     * @param args model, variant (U0, U90, U95, U98, RPG95, RPG98), batch, warm-up calls (default 80), rounds (default
     *     12), kernel policy (default MEASURED)
     * @throws IOException if the RPG-pruned weights cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        RunnerCase run = RunnerCase.load("RunnerThreadGain", args, "[warm-up] [rounds] [policy]");
        int warmUp = RunnerCase.count(args, 3, "warm-up", 80);
        int rounds = RunnerCase.positiveCount(args, 4, "rounds", 12);
        ComputationGraph graph = run.graph();
        INDArray input = run.input();
        double loadStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        KernelPolicy policy = RunnerCase.option(args, 5, KernelPolicy.MEASURED);
        SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(policy));
        for (int i = 0; i < warmUp; i++) {
            runner.output(input);
        }
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int openMp = ops.ompGetMaxThreads();
        for (int i = 0; i < 10; i++) {
            graph.outputSingle(input);
        }
        CallThreads[] choices = {CallThreads.CALLER, CallThreads.POOL_ABOVE_THRESHOLD};
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        PoolThreads pool = new PoolThreads(mx);
        // per clock (0 wall, 1 CPU time of the caller and the pool's workers, 2 the caller's CPU time) and choice
        LongSupplier[] clocks = {System::nanoTime, pool::cpuNanos, mx::getCurrentThreadCpuTime};
        double[][][] minima = null;
        List<StepTime> steps = null;
        double[][] whole = new double[2][rounds];
        double[][] dl4j = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < 2; k++) {
                int c = (r + k) % 2;
                CallThreads choice = choices[c];
                for (int clock = 0; clock < clocks.length; clock++) {
                    LongSupplier on = clocks[clock];
                    long start = System.nanoTime();
                    List<StepTime> profiled = KernelThreading.callWith(choice, () -> runner.profile(1, on, input));
                    if (clock == 0) {
                        whole[c][r] = (System.nanoTime() - start) / 1e6;
                    }
                    if (minima == null) {
                        minima = new double[clocks.length][2][profiled.size()];
                        for (double[][] m : minima) {
                            Arrays.fill(m[0], Double.MAX_VALUE);
                            Arrays.fill(m[1], Double.MAX_VALUE);
                        }
                    }
                    for (int s = 0; s < profiled.size(); s++) {
                        minima[clock][c][s] = Math.min(minima[clock][c][s], profiled.get(s).millis());
                    }
                    steps = profiled;
                }
                int threads = c + 1;
                dl4j[c][r] = timed(() -> {
                    ops.setOmpNumThreads(threads);
                    try {
                        return graph.outputSingle(input);
                    } finally {
                        ops.setOmpNumThreads(openMp);
                    }
                });
            }
        }
        System.out.printf(Locale.ROOT,
                "thread gain %s %s %s batch %d, %d warm-up calls, %d rounds, load %.2f at start%n",
                run.model(), run.variant(), policy, run.batch(), warmUp, rounds, loadStart);
        System.out.println("| step | kernel | 1 thread wall ms | 2 threads wall ms | wall speed-up | 1 thread CPU ms |"
                + " 2 threads CPU ms (caller + pool) | CPU 2 / 1 | caller's CPU ms with 2 |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        double[][] sums = new double[3][2];
        for (int s = 0; s < steps.size(); s++) {
            StepTime step = steps.get(s);
            System.out.printf(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.2f | %.3f | %.3f | %.2f | %.3f |%n",
                    step.name(), step.kernel(), minima[0][0][s], minima[0][1][s], minima[0][0][s] / minima[0][1][s],
                    minima[1][0][s], minima[1][1][s], minima[1][1][s] / minima[1][0][s], minima[2][1][s]);
            for (int clock = 0; clock < 3; clock++) {
                sums[clock][0] += minima[clock][0][s];
                sums[clock][1] += minima[clock][1][s];
            }
        }
        System.out.printf(Locale.ROOT, "| sum of step minima | | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
                sums[0][0], sums[0][1], sums[0][0] / sums[0][1], sums[1][0], sums[1][1], sums[1][1] / sums[1][0],
                sums[2][1]);
        for (int c = 0; c < 2; c++) {
            Arrays.sort(whole[c]);
            Arrays.sort(dl4j[c]);
        }
        System.out.printf(Locale.ROOT,
                "whole profiled call, fastest (median) ms: runner 1 thread %.2f (%.2f), 2 threads"
                        + " %.2f (%.2f), speed-up %.2fx (%.2fx); DL4J setOmpNumThreads(1) %.2f (%.2f), (2) %.2f (%.2f),"
                        + " speed-up %.2fx (%.2fx); DL4J 2 threads / runner 2 threads %.2fx (%.2fx); load %.2f at end%n",
                whole[0][0], median(whole[0]), whole[1][0], median(whole[1]), whole[0][0] / whole[1][0], median(
                        whole[0]) / median(whole[1]), dl4j[0][0], median(dl4j[0]), dl4j[1][0], median(dl4j[1]),
                dl4j[0][0] / dl4j[1][0], median(dl4j[0]) / median(dl4j[1]), dl4j[1][0] / whole[1][0], median(dl4j[1])
                        / median(whole[1]), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        runner.report().forEach(line -> System.out.println("  report " + line));
    }

    /**
     * The CPU time of the calling thread and of the common pool's workers together (a worker that ends is no longer
     * counted: a step's time on this clock is right unless a worker ends within it, which the pool's 60 s keep-alive
     * makes rare while the rounds keep it busy).
     */
    private static final class PoolThreads {
        private final ThreadMXBean mx;
        private long[] workers = new long[0];
        private int poolSize = -1;

        PoolThreads(ThreadMXBean mx) {
            this.mx = mx;
        }

        long cpuNanos() {
            int size = ForkJoinPool.commonPool().getPoolSize();
            if (size != poolSize) {
                poolSize = size;
                workers = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(
                        "ForkJoinPool.commonPool-worker")).mapToLong(Thread::getId).toArray();
            }
            long nanos = mx.getCurrentThreadCpuTime();
            for (long id : workers) {
                nanos += Math.max(0, mx.getThreadCpuTime(id));
            }
            return nanos;
        }
    }

    private static double timed(Supplier<?> call) {
        long start = System.nanoTime();
        call.get();
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(double[] sorted) {
        return sorted[sorted.length / 2];
    }
}
