package org.rpg4j.benchmarks.sparse;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.rpg4j.dl4j.deploy.runner.KernelPolicy;
import org.rpg4j.dl4j.deploy.runner.RunnerOptions;
import org.rpg4j.dl4j.deploy.runner.SparseRunner;
import org.rpg4j.sparse.kernel.CallThreads;
import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * Whole calls of one network under several kernel policies and both thread choices in one JVM, beside DL4J after
 * libnd4j's {@code setOmpNumThreads(1)} and {@code (2)} (both on two cores, {@code benchmarks/src/threads/OmpCheck.java}): which kernels are fastest on the threads the call runs on. One runner per
 * {@link KernelPolicy} (default options otherwise; each calibrated and thread-raced over {@code warm-up} calls), then
 * {@code rounds} rounds, each calling every runner once with every step on the caller ({@link CallThreads#CALLER}),
 * once under the two-thread rule ({@link CallThreads#POOL_ABOVE_THRESHOLD}) and once as it chose itself, and DL4J once
 * per OpenMP thread count; the order rotates per round. Printed: fastest and median wall time of each, and DL4J's
 * two-thread median over each. Under load the two-thread times measure the scheduler too: compare within one run.
 *
 * <p>Usage: {@code RunnerPolicyThreads MODEL VARIANT BATCH [warm-up] [rounds] [pre-warm] [policy...]}, e.g. {@code
 * RunnerPolicyThreads VGG19 RPG98 32 40 10 0 MEASURED SPARSE}. {@code pre-warm} calls (default 0) run before the
 * warm-up calls with every step on the caller: they calibrate the kernels and warm the JIT up without counting as
 * calls of the runner's whole-call thread race, which then times warm code.
 */
public final class RunnerPolicyThreads {

    private RunnerPolicyThreads() {
    }

    /**
     * @param args model, variant (U0, U90, U95, U98, RPG95, RPG98), batch, warm-up calls (default 40), rounds (default
     *     10), pre-warm calls on the caller (default 0), kernel policies (default MEASURED and SPARSE)
     * @throws IOException if the RPG-pruned weights cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        RunnerCase run = RunnerCase.load("RunnerPolicyThreads", args, "[warm-up] [rounds] [pre-warm] [policy...]");
        int warmUp = RunnerCase.count(args, 3, "warm-up", 40);
        int rounds = RunnerCase.positiveCount(args, 4, "rounds", 10);
        int preWarm = RunnerCase.count(args, 5, "pre-warm", 0);
        KernelPolicy[] policies = args.length > 6 ? new KernelPolicy[args.length - 6]
                : new KernelPolicy[] {KernelPolicy.MEASURED, KernelPolicy.SPARSE};
        for (int p = 6; p < args.length; p++) {
            policies[p - 6] = RunnerCase.option(args, p, KernelPolicy.MEASURED);
        }
        ComputationGraph graph = run.graph();
        INDArray input = run.input();
        double loadStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        SparseRunner[] runners = new SparseRunner[policies.length];
        for (int p = 0; p < policies.length; p++) {
            SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(policies[p]));
            runners[p] = runner;
            for (int i = 0; i < preWarm; i++) {
                KernelThreading.callWith(CallThreads.CALLER, () -> runner.output(input));
            }
            for (int i = 0; i < warmUp; i++) {
                runners[p].output(input);
            }
        }
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int openMp = ops.ompGetMaxThreads();
        for (int i = 0; i < 10; i++) {
            graph.outputSingle(input);
        }
        // cases: per runner caller, pool, own choice; then DL4J after setOmpNumThreads(1) and (2)
        int cases = 3 * runners.length + 2;
        double[][] millis = new double[cases][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < cases; k++) {
                int c = (k + r) % cases;
                long start = System.nanoTime();
                if (c < 3 * runners.length) {
                    SparseRunner runner = runners[c / 3];
                    int how = c % 3;
                    if (how == 2) {
                        runner.output(input);
                    } else {
                        KernelThreading.callWith(how == 0 ? CallThreads.CALLER : CallThreads.POOL_ABOVE_THRESHOLD,
                                () -> runner.output(input));
                    }
                } else {
                    ops.setOmpNumThreads(c - 3 * runners.length + 1);
                    try {
                        graph.outputSingle(input);
                    } finally {
                        ops.setOmpNumThreads(openMp);
                    }
                }
                millis[c][r] = (System.nanoTime() - start) / 1e6;
            }
        }
        for (double[] m : millis) {
            Arrays.sort(m);
        }
        double dl4j = millis[cases - 1][rounds / 2];
        System.out.printf(Locale.ROOT,
                "policy threads %s %s batch %d, %d pre-warm and %d warm-up calls, %d rounds, load "
                        + "%.2f at start, %.2f at end%n", run.model(), run.variant(), run.batch(), preWarm, warmUp,
                rounds,
                loadStart,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| case | fastest ms | median ms | DL4J 2-thread median / median |");
        System.out.println("|---|---:|---:|---:|");
        String[] how = {"1 thread", "2 threads", "own choice"};
        for (int c = 0; c < cases; c++) {
            String name = c < 3 * runners.length ? policies[c / 3] + " " + how[c % 3] : "DL4J " + (c - 3
                    * runners.length + 1) + " after setOmpNumThreads";
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", name, millis[c][0], millis[c][rounds / 2],
                    dl4j / millis[c][rounds / 2]);
        }
        for (int p = 0; p < runners.length; p++) {
            KernelPolicy policy = policies[p];
            runners[p].report().stream().filter(line -> line.batch() > 0).forEach(line -> System.out.println(
                    "  report " + policy + " " + line));
        }
    }
}
