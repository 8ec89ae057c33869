package org.rpg4j.benchmarks.structured;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.deploy.runner.RunnerOptions;
import org.rpg4j.dl4j.deploy.runner.SparseRunner;
import org.rpg4j.dl4j.deploy.runner.StepTime;
import org.rpg4j.dl4j.structured.StructuredReport;
import org.rpg4j.dl4j.structured.StructuredResult;

/**
 * The runner's ({@code RUNNER_MEASURED}) speed-up of the shrunk networks over the dense one, for a machine that is
 * not idle: the dense network and the shrunk ones (50 % and 70 % removed) run in interleaved rounds (one profiled
 * call of each per round), and per network three estimates of a call's cost are kept: the sum over steps of each
 * step's fastest time, the fastest whole call (wall) and the fastest whole call in thread CPU time. The minima drop
 * the calls other processes interrupted or slowed (on 2 cores shared with other work even a call's thread CPU time
 * varies by 2x or more with the moment); the ratios of minima are the speed-ups an idle machine would approach, not
 * a measurement of one. Run with {@code OMP_NUM_THREADS=1} and a common pool of parallelism 0 for one thread.
 *
 * <p>Usage: {@code ShrunkStepMinima MODEL BATCH ROUNDS [WARM_UP]}, e.g. {@code ShrunkStepMinima RESNET56 1 300}.
 */
public final class ShrunkStepMinima {

    private static final String[] REMOVED = {"0", "0.5", "0.7"};

    private ShrunkStepMinima() {
    }

    /** @param args model, batch, rounds, warm-up calls per network (default 40: calibration and first rechecks) */
    public static void main(String[] args) {
        String model = args[0];
        int batch = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 40;
        Nd4j.getRandom().setSeed(42);
        INDArray input = Nd4j.rand(DataType.FLOAT, batch, 3, 32, 32);
        List<SparseRunner> runners = new ArrayList<>();
        double[] macRatio = new double[REMOVED.length];
        for (int r = 0; r < REMOVED.length; r++) {
            StructuredResult pruned = ShrunkModels.prune(model, Double.parseDouble(REMOVED[r]), 1);
            StructuredReport report = pruned.report();
            macRatio[r] = (double) report.macsBefore() / report.macsAfter();
            runners.add(SparseRunner.compile((ComputationGraph) pruned.network(), RunnerOptions.defaults()));
        }
        for (int c = 0; c < warmUp; c++) {
            for (SparseRunner runner : runners) {
                runner.output(input);
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[][] stepMin = new double[REMOVED.length][];
        double[] wallMin = new double[REMOVED.length];
        double[] cpuMin = new double[REMOVED.length];
        java.util.Arrays.fill(wallMin, Double.MAX_VALUE);
        java.util.Arrays.fill(cpuMin, Double.MAX_VALUE);
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        for (int round = 0; round < rounds; round++) {
            for (int r = 0; r < REMOVED.length; r++) {
                long cpu = threads.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                List<StepTime> steps = runners.get(r).profile(1, input);
                wallMin[r] = Math.min(wallMin[r], (System.nanoTime() - wall) / 1e6);
                cpuMin[r] = Math.min(cpuMin[r], (threads.getCurrentThreadCpuTime() - cpu) / 1e6);
                if (stepMin[r] == null) {
                    stepMin[r] = new double[steps.size()];
                    java.util.Arrays.fill(stepMin[r], Double.MAX_VALUE);
                }
                for (int s = 0; s < steps.size(); s++) {
                    stepMin[r][s] = Math.min(stepMin[r][s], steps.get(s).millis());
                }
            }
        }
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.printf(Locale.ROOT, "%s batch %d RUNNER_MEASURED, %d interleaved rounds after %d warm-up calls, "
                + "OMP_NUM_THREADS=%s, load %.1f-%.1f (ms per call)%n", model, batch, rounds, warmUp, System.getenv(
                        "OMP_NUM_THREADS"), loadBefore, loadAfter);
        System.out.println("| removed | MACs ratio | sum of step minima | speed-up (/ MAC ratio) | fastest call wall | "
                + "speed-up (/ MAC ratio) | fastest call CPU | speed-up (/ MAC ratio) |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
        double[] sums = new double[REMOVED.length];
        for (int r = 0; r < REMOVED.length; r++) {
            sums[r] = java.util.Arrays.stream(stepMin[r]).sum();
        }
        for (int r = 0; r < REMOVED.length; r++) {
            System.out.printf(Locale.ROOT, "| %s | %.2fx | %.3f | %.2fx (%.2f) | %.3f | %.2fx (%.2f) | %.3f | %.2fx "
                    + "(%.2f) |%n", REMOVED[r], macRatio[r], sums[r], sums[0] / sums[r], sums[0] / sums[r]
                            / macRatio[r], wallMin[r], wallMin[0] / wallMin[r], wallMin[0] / wallMin[r] / macRatio[r],
                    cpuMin[r], cpuMin[0] / cpuMin[r], cpuMin[0] / cpuMin[r] / macRatio[r]);
        }
    }
}
