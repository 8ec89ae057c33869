package org.rpg4j.benchmarks.pytorch;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.rpg4j.benchmarks.models.ModelShapes;
import org.rpg4j.benchmarks.overhead.SyntheticCifar;

/**
 * Where one training iteration spends its time, per op kind (convolution, batch norm, ReLU, residual
 * add, pooling, output layer and loss), forward and backward, in rpg4j (DL4J with the fast layers,
 * {@link VertexTimes}) and in PyTorch ({@code cifar_speed.py --profile}: {@code torch.autograd.profiler}
 * self CPU time per aten op, mapped to the same kinds), and the difference. Prints a markdown table.
 *
 * <p>The Java passes run without workspaces and without the update; alternating with them, as many
 * real {@code fit} calls are timed: {@code fit - vertices} is what the iteration spends outside the
 * layers (the updater with L2, gradient flattening, workspaces, score). On the PyTorch side the
 * optimizer step is timed outside the profiler, and a plain step is timed for comparison.
 *
 * <p>Arguments: {@code python script MODEL [warmup=5] [passes=5]}.
 */
public final class TrainingStepProfile {

    private static final int SETUP_FITS = 3;
    private static final String[] KINDS = {"conv", "batchnorm", "relu", "add", "pool", "output"};

    private TrainingStepProfile() {
    }

    /**
     * @param args the interpreter, the script, the model ({@code RESNET20}, {@code RESNET32X2} or
     *     {@code VGG19}), warm-up fits, profiled passes
     */
    public static void main(String[] args) {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: TrainingStepProfile python script MODEL [warmup] [passes]");
        }
        CifarComparison comparison = CifarComparison.of(ModelShapes.valueOf(args[2]));
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int passes = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        if (warmup < 0 || passes < 1) {
            throw new IllegalArgumentException("warmup must be >= 0 and passes >= 1, got " + warmup + ", " + passes);
        }
        DataSet data = SyntheticCifar.batch(CifarComparison.BATCH, 7);
        ComputationGraph net = comparison.network();
        for (int i = 0; i < SETUP_FITS + warmup; i++) {
            net.fit(data);
        }
        VertexTimes rpg4j = new VertexTimes();
        double fitMillis = 0;
        for (int p = 0; p < passes; p++) {
            rpg4j.pass(net, data);
            long start = System.nanoTime();
            net.fit(data);
            fitMillis += (System.nanoTime() - start) / 1e6;
        }
        Map<String, double[]> javaMillis = new TreeMap<>();
        rpg4j.millis().forEach((kind, ms) -> javaMillis.put(kind, new double[] {ms[0] / passes, ms[1] / passes}));
        Map<String, double[]> torchMillis = parse(PyTorchWorker.profile(args[0], args[1], comparison.pythonName(),
                warmup, passes));
        print(comparison, passes, javaMillis, fitMillis / passes, torchMillis);
    }

    private static Map<String, double[]> parse(List<String> lines) {
        Map<String, double[]> millis = new TreeMap<>();
        for (String line : lines) {
            String[] f = line.split("\t");
            if (f.length != 3) {
                throw new IllegalStateException("unexpected line from cifar_speed.py --profile: " + line);
            }
            millis.put(f[0], new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2])});
        }
        return millis;
    }

    private static void print(CifarComparison comparison, int passes, Map<String, double[]> rpg4j, double fit,
                              Map<String, double[]> torch) {
        System.out.printf(Locale.ROOT, "%s, batch %d, ms per training iteration (mean of %d), load %.1f%n",
                comparison.label(), CifarComparison.BATCH, passes,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| kind | rpg4j forward | rpg4j backward | PyTorch forward | PyTorch backward "
                + "| rpg4j - PyTorch |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        TreeSet<String> kinds = new TreeSet<>(rpg4j.keySet());
        kinds.addAll(torch.keySet());
        kinds.removeAll(List.of("optimizer", "step"));
        double javaVertices = 0;
        double torchOps = 0;
        for (String kind : ordered(kinds)) {
            double[] j = rpg4j.getOrDefault(kind, new double[2]);
            double[] t = torch.getOrDefault(kind, new double[2]);
            javaVertices += j[0] + j[1];
            torchOps += t[0] + t[1];
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %+.1f |%n", kind, j[0], j[1], t[0],
                    t[1], j[0] + j[1] - t[0] - t[1]);
        }
        double optimizer = torch.getOrDefault("optimizer", new double[2])[0];
        double step = torch.getOrDefault("step", new double[2])[0];
        System.out.printf(Locale.ROOT, "| all layers (rpg4j: no workspaces) | %.1f | | %.1f | | %+.1f |%n",
                javaVertices, torchOps, javaVertices - torchOps);
        System.out.printf(Locale.ROOT, "| update and the rest (rpg4j: fit - layers; PyTorch: optimizer.step) "
                + "| %.1f | | %.1f | | %+.1f |%n", fit - javaVertices, optimizer, fit - javaVertices - optimizer);
        System.out.printf(Locale.ROOT, "| training iteration (rpg4j: fit; PyTorch: unprofiled step) | %.1f | | %.1f "
                + "| | %+.1f (ratio %.2f) |%n", fit, step, fit - step, fit / step);
    }

    /** The known kinds first, in network order, then the others alphabetically. */
    private static List<String> ordered(TreeSet<String> kinds) {
        List<String> ordered = new java.util.ArrayList<>();
        for (String k : KINDS) {
            if (kinds.remove(k)) {
                ordered.add(k);
            }
        }
        ordered.addAll(kinds);
        return ordered;
    }
}
