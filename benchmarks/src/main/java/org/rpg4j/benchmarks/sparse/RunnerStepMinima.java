package org.rpg4j.benchmarks.sparse;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.dl4j.deploy.runner.KernelPolicy;
import org.rpg4j.dl4j.deploy.runner.SparseRunner;
import org.rpg4j.dl4j.deploy.runner.StepTime;

/**
 * Where a one-thread runner call's time goes, as minima: each step's fastest time over {@code calls} profiled calls
 * ({@link SparseRunner#profile} with one call each, the calling thread's CPU time), summed per step kind, against the fastest whole call in thread CPU time
 * and the least time outside the steps within one profiled call (releasing values, the output's ND4J array, the
 * profile's own bookkeeping). Run the JVM with
 * {@code OMP_NUM_THREADS=1} and {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=0}, so that every
 * step runs on the calling thread. DL4J's fastest call (thread CPU time) is printed beside it, the runner's
 * {@link SparseRunner#report()} last.
 *
 * <p>Usage: {@code RunnerStepMinima MODEL VARIANT BATCH [calls] [policy]}, e.g. {@code RunnerStepMinima VGG19 RPG95
 * 32 12}.
 */
public final class RunnerStepMinima {

    private static final int WARM_UP = 12;

    private RunnerStepMinima() {
    }

    /**
     * @param args model, variant (U0, U90, U95, U98, RPG95, RPG98), batch, calls (default 12), kernel policy (default
     *     MEASURED)
     * @throws IOException if the RPG-pruned weights cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        RunnerCase run = RunnerCase.load("RunnerStepMinima", args, "[calls] [policy]");
        int calls = RunnerCase.count(args, 3, "calls", 12);
        KernelPolicy policy = RunnerCase.option(args, 4, KernelPolicy.MEASURED);
        INDArray input = run.input();
        SparseRunner runner = run.warmRunner(policy, WARM_UP);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] minima = null;
        List<StepTime> steps = null;
        double dl4j = Double.MAX_VALUE;
        double whole = Double.MAX_VALUE;
        double between = Double.MAX_VALUE;
        for (int c = 0; c < calls; c++) {
            double[] millis = run.cpuMillisOfOneCallEach(runner);
            dl4j = Math.min(dl4j, millis[0]);
            whole = Math.min(whole, millis[1]);
            long profileStart = threads.getCurrentThreadCpuTime();
            steps = runner.profile(1, threads::getCurrentThreadCpuTime, input);
            double profiled = (threads.getCurrentThreadCpuTime() - profileStart) / 1e6;
            double inSteps = steps.stream().mapToDouble(StepTime::millis).sum();
            between = Math.min(between, profiled - inSteps);
            if (minima == null) {
                minima = new double[steps.size()];
                Arrays.fill(minima, Double.MAX_VALUE);
            }
            for (int s = 0; s < steps.size(); s++) {
                minima[s] = Math.min(minima[s], steps.get(s).millis());
            }
        }
        System.out.printf(Locale.ROOT, "step minima %s %s %s batch %d, %d calls (ms)%n", run.model(), run.variant(),
                policy, run.batch(), calls);
        Map<String, double[]> kinds = new TreeMap<>();
        double sum = 0;
        for (int s = 0; s < steps.size(); s++) {
            StepTime step = steps.get(s);
            System.out.printf(Locale.ROOT, "  %-22s %-36s %-18s %8.3f%n", step.name(), step.operation(),
                    step.kernel(), minima[s]);
            String kind = step.kernel() + " " + step.operation().split(" ")[0];
            double[] k = kinds.computeIfAbsent(kind, key -> new double[2]);
            k[0] += minima[s];
            k[1]++;
            sum += minima[s];
        }
        for (Map.Entry<String, double[]> e : kinds.entrySet()) {
            System.out.printf(Locale.ROOT, "    %-30s %8.3f ms %3.0f steps%n", e.getKey(), e.getValue()[0],
                    e.getValue()[1]);
        }
        System.out.printf(Locale.ROOT, "  sum of step minima %.2f ms; fastest whole call %.2f ms (difference %.2f);"
                + " outside the steps within one call at least %.2f ms; DL4J fastest %.2f ms; speed-up %.2fx%n", sum,
                whole, whole - sum, between, dl4j, dl4j / whole);
        System.out.println("  calibration report (kernel chosen, fastest calibration runs):");
        runner.report().forEach(line -> System.out.println("    " + line));
    }
}
