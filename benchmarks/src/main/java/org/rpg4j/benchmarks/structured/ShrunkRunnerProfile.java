package org.rpg4j.benchmarks.structured;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.deploy.runner.KernelKind;
import org.rpg4j.dl4j.deploy.runner.RunnerOptions;
import org.rpg4j.dl4j.deploy.runner.SparseRunner;
import org.rpg4j.dl4j.deploy.runner.StepTime;

/**
 * Where the runner's time goes on a shrunk network ({@link ShrunkModels}, as in {@link ShrunkInferenceBenchmark}):
 * {@link SparseRunner#profile} per step beside the step's share of the network's multiply-adds (weights
 * {@code [out, in, kh, kw]} times the layer's output plane, from one DL4J forward pass; 0 for steps without
 * weights). A step whose time share is far above its MAC share pays a fixed cost per call (thread hand-off, copies,
 * conversions) or runs its kernel at a lower rate. Not JMH: 6 warm-up calls (the calibration), then {@code calls}
 * profiled calls (mean per step), then {@code calls} single calls of which each step's fastest is kept (the
 * minimum, steadier under load; run with {@code OMP_NUM_THREADS=1} and a common pool of parallelism 0 for the
 * single-thread cost).
 *
 * <p>Usage: {@code ShrunkRunnerProfile MODEL REMOVED MULTIPLE BATCH [calls]}, e.g.
 * {@code ShrunkRunnerProfile RESNET56 0.5 1 1 50}.
 */
public final class ShrunkRunnerProfile {

    private static final int WARM_UP = 6;

    private ShrunkRunnerProfile() {
    }

    /** @param args model, removed fraction, channel multiple, batch, profiled calls (default 50) */
    public static void main(String[] args) {
        String model = args[0];
        double removed = Double.parseDouble(args[1]);
        int multiple = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        int calls = args.length > 4 ? Integer.parseInt(args[4]) : 50;
        ComputationGraph graph = (ComputationGraph) ShrunkModels.prune(model, removed, multiple).network();
        Nd4j.getRandom().setSeed(42);
        INDArray input = Nd4j.rand(DataType.FLOAT, batch, 3, 32, 32);
        Map<String, Long> macs = macs(graph, input);
        long totalMacs = macs.values().stream().mapToLong(Long::longValue).sum();
        SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults());
        for (int c = 0; c < WARM_UP; c++) {
            runner.output(input);
        }
        List<StepTime> steps = runner.profile(calls, input);
        double[] fastest = fastest(runner, input, calls);
        double total = steps.stream().mapToDouble(StepTime::millis).sum();
        double totalFastest = java.util.Arrays.stream(fastest).sum();
        System.out.printf(Locale.ROOT, "profile %s removed %.2f multiple %d batch %d: %.3f ms per call (mean), "
                + "%.3f ms (sum of per-step minima), %d MACs, load %.1f%n", model, removed, multiple, batch, total,
                totalFastest, totalMacs, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (int s = 0; s < steps.size(); s++) {
            StepTime step = steps.get(s);
            long stepMacs = macs.getOrDefault(step.name(), 0L);
            System.out.printf(Locale.ROOT, "  %-18s %-34s %-6s %8.3f ms (min %8.4f) %5.1f %% time %5.1f %% MACs "
                    + "%6.2f GMAC/s (at min %6.2f)%n", step.name(), step.operation(), step.kernel(), step.millis(),
                    fastest[s], 100 * fastest[s] / totalFastest, 100.0 * stepMacs / totalMacs, stepMacs / step
                            .millis() / 1e6, stepMacs / fastest[s] / 1e6);
        }
        System.out.println("calibration of the steps that chose the dense kernel:");
        runner.report().stream().filter(c -> c.batch() == batch && c.kernel() == KernelKind.DENSE).forEach(
                c -> System.out.println("  " + c));
    }

    /**
     * @return per step, its fastest time over {@code calls} single profiled calls (ms): under load the minimum
     *     drops the calls another process interrupted, which the mean keeps
     */
    private static double[] fastest(SparseRunner runner, INDArray input, int calls) {
        double[] best = null;
        for (int c = 0; c < calls; c++) {
            List<StepTime> one = runner.profile(1, input);
            if (best == null) {
                best = new double[one.size()];
                java.util.Arrays.fill(best, Double.MAX_VALUE);
            }
            for (int s = 0; s < best.length; s++) {
                best[s] = Math.min(best[s], one.get(s).millis());
            }
        }
        return best;
    }

    /** @return per layer with weights of rank 4 (convolutions) or 2 (dense), its multiply-adds for this input */
    private static Map<String, Long> macs(ComputationGraph graph, INDArray input) {
        Map<String, INDArray> activations = graph.feedForward(input, false);
        Map<String, Long> macs = new HashMap<>();
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            INDArray weights = layer.paramTable().get("W");
            INDArray output = activations.get(name);
            if (weights == null || output == null) {
                continue;
            }
            long perOutput = weights.rank() == 4 ? weights.size(1) * weights.size(2) * weights.size(3)
                    : weights.size(0);
            long outputs = output.length();
            macs.put(name, weights.rank() == 4 || weights.rank() == 2 ? perOutput * outputs : 0L);
        }
        return macs;
    }
}
