package org.rpg4j.benchmarks.pytorch;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.rpg4j.benchmarks.models.ModelShapes;
import org.rpg4j.benchmarks.overhead.SyntheticCifar;

/**
 * rpg4j's side of {@link TrainingStepProfile} in CPU time, so that other processes on the machine matter less:
 * per op kind, forward and backward, the process's CPU milliseconds (every thread: the caller, libnd4j's and
 * oneDNN's OpenMP threads, the fork-join pool) of the vertices run one by one without workspaces
 * ({@link VertexTimes}); then, in the same rounds, one real {@code fit} (with workspaces) and one call of the
 * network's updater on the fit's gradient (restored before each call). {@code fit - layers - update} is what DL4J
 * spends between the layers (workspaces, gradient views and flattening, the score, listeners) plus what the
 * layers cost more or less without workspaces. Wall milliseconds are printed beside each CPU figure.
 *
 * <p>Arguments: {@code MODEL [warmup=3] [rounds=5]}.
 */
public final class IterationCpuProfile {

    private static final String[] KINDS = {"conv", "batchnorm", "relu", "add", "pool", "output"};

    private IterationCpuProfile() {
    }

    /**
     * @param args the model ({@code RESNET20}, {@code RESNET32X2} or {@code VGG19}), warm-up rounds, measured rounds
     */
    public static void main(String[] args) {
        ModelShapes model = ModelShapes.valueOf(args.length > 0 ? args[0] : "RESNET20");
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        if (warmup < 0 || rounds < 1) {
            throw new IllegalArgumentException("warmup must be >= 0 and rounds >= 1, got " + warmup + ", " + rounds);
        }
        CifarComparison comparison = CifarComparison.of(model);
        DataSet data = SyntheticCifar.batch(CifarComparison.BATCH, 7);
        ComputationGraph net = comparison.network();
        net.fit(data);
        VertexTimes warm = new VertexTimes();
        double[] fit = new double[2];
        double[] update = new double[2];
        VertexTimes layers = new VertexTimes();
        for (int r = -warmup; r < rounds; r++) {
            (r < 0 ? warm : layers).pass(net, data);
            double[] f = timed(() -> net.fit(data));
            ComputationGraphUpdater updater = net.getUpdater();
            Gradient gradient = net.gradient();
            INDArray view = net.getGradientsViewArray();
            INDArray saved = view.dup();
            double[] u = timed(() -> updater.update(gradient, 0, 0, CifarComparison.BATCH,
                    LayerWorkspaceMgr.noWorkspaces()));
            view.assign(saved);
            if (r >= 0) {
                fit[0] += f[0] / rounds;
                fit[1] += f[1] / rounds;
                update[0] += u[0] / rounds;
                update[1] += u[1] / rounds;
            }
        }
        print(comparison.label(), rounds, layers, fit, update);
    }

    /** @return {@code {CPU ms, wall ms}} of the work */
    private static double[] timed(Runnable work) {
        long cpu = VertexTimes.processCpuNanos();
        long wall = System.nanoTime();
        work.run();
        return new double[] {(VertexTimes.processCpuNanos() - cpu) / 1e6, (System.nanoTime() - wall) / 1e6};
    }

    private static void print(String label, int rounds, VertexTimes layers, double[] fit, double[] update) {
        System.out.printf(Locale.ROOT, "%s, batch %d, process CPU ms (wall ms) per iteration, mean of %d, load %.1f%n",
                label, CifarComparison.BATCH, rounds, ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
        System.out.println("| kind | forward CPU (wall) | backward CPU (wall) | share of fit CPU |");
        System.out.println("|---|---:|---:|---:|");
        Map<String, double[]> cpu = layers.cpuMillis();
        Map<String, double[]> wall = layers.millis();
        double[] sum = new double[2];
        for (String kind : KINDS) {
            double[] c = cpu.getOrDefault(kind, new double[2]);
            double[] w = wall.getOrDefault(kind, new double[2]);
            sum[0] += (c[0] + c[1]) / rounds;
            sum[1] += (w[0] + w[1]) / rounds;
            System.out.printf(Locale.ROOT, "| %s | %.1f (%.1f) | %.1f (%.1f) | %.1f %% |%n", kind, c[0] / rounds,
                    w[0] / rounds, c[1] / rounds, w[1] / rounds, 100 * (c[0] + c[1]) / rounds / fit[0]);
        }
        for (String kind : cpu.keySet()) {
            if (!java.util.List.of(KINDS).contains(kind)) {
                double[] c = cpu.get(kind);
                sum[0] += (c[0] + c[1]) / rounds;
                sum[1] += (wall.get(kind)[0] + wall.get(kind)[1]) / rounds;
                System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f %% |%n", kind, c[0] / rounds,
                        c[1] / rounds, 100 * (c[0] + c[1]) / rounds / fit[0]);
            }
        }
        System.out.printf(Locale.ROOT, "| all layers (no workspaces) | %.1f (%.1f) | | %.1f %% |%n", sum[0], sum[1],
                100 * sum[0] / fit[0]);
        System.out.printf(Locale.ROOT, "| update (one updater call) | %.1f (%.1f) | | %.1f %% |%n", update[0],
                update[1], 100 * update[0] / fit[0]);
        System.out.printf(Locale.ROOT, "| fit - layers - update (DL4J between layers) | %.1f (%.1f) | | %.1f %% |%n",
                fit[0] - sum[0] - update[0], fit[1] - sum[1] - update[1],
                100 * (fit[0] - sum[0] - update[0]) / fit[0]);
        System.out.printf(Locale.ROOT, "| training iteration (fit, with workspaces) | %.1f (%.1f) | | 100 %% |%n",
                fit[0], fit[1]);
    }
}
