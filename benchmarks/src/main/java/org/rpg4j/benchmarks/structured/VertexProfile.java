package org.rpg4j.benchmarks.structured;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.shrink.InferenceFolding;

/**
 * Where the inference time of a dense and a shrunk network goes: runs the graph's vertices one by one
 * in topological order (inference mode, no workspaces, the same work as {@code output()} minus its
 * workspace handling) and sums the wall time per vertex kind (the layer's configuration class, or
 * the vertex class: {@code ElementWiseVertex} for residual adds, {@code MergeVertex}, ...). Kinds
 * whose time does not fall with the channels are what keeps the speed-up below the MAC reduction.
 *
 * <p>With a fourth argument {@code FOLDED}, every variant is first passed through {@code InferenceFolding}
 * (batch norm folded into the convolutions, activation layers fused into them), so the table shows what
 * is left after the deployment transform.
 *
 * <p>With a fifth argument {@code cpu}, each vertex call is timed by the calling thread's CPU clock and the
 * table sums, per kind, each vertex's fastest call over the passes: run it with {@code OMP_NUM_THREADS=1} on a
 * loaded machine (every op then runs on the calling thread; other processes do not advance its clock).
 *
 * <pre>java -cp benchmarks.jar org.rpg4j.benchmarks.structured.VertexProfile RESNET56 64 20 [AS_IS|FOLDED] [cpu]</pre>
 */
public final class VertexProfile {
    private VertexProfile() {}

    /**
     * @param args model ({@code RESNET56} or {@code VGG19}), batch, measured passes (after 3 warm-up passes),
     *     optionally {@code AS_IS} (default) or {@code FOLDED}, optionally {@code cpu} (thread CPU time, fastest
     *     call per vertex)
     */
    public static void main(String[] args) {
        String model = args.length > 0 ? args[0] : "RESNET56";
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        boolean folded = args.length > 3 && InferencePath.valueOf(args[3]) == InferencePath.FOLDED;
        boolean cpu = args.length > 4 && args[4].equals("cpu");
        String[] variants = {"0/1", "0.5/1", "0.7/1", "0.7/8"};
        Map<String, Map<String, Double>> byVariant = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String v : variants) {
            String[] p = v.split("/");
            ComputationGraph net = (ComputationGraph) ShrunkModels.prune(model, Double.parseDouble(p[0]), Integer
                    .parseInt(p[1])).network();
            if (folded) {
                net = InferenceFolding.fold(net).network();
            }
            Nd4j.getRandom().setSeed(42);
            INDArray input = Nd4j.rand(DataType.FLOAT, batch, 3, 32, 32);
            Map<String, Double> millis = new LinkedHashMap<>();
            double[] fastest = new double[net.getVertices().length];
            java.util.Arrays.fill(fastest, Double.MAX_VALUE);
            for (int pass = 0; pass < 3 + passes; pass++) {
                profile(net, input, pass < 3 ? new LinkedHashMap<>() : millis, counts, cpu, pass < 3 ? null
                        : fastest);
            }
            if (cpu) {
                millis.clear();
                GraphVertex[] vertices = net.getVertices();
                for (int i = 0; i < vertices.length; i++) {
                    if (fastest[i] != Double.MAX_VALUE) {
                        millis.merge(kind(vertices[i]), fastest[i], Double::sum);
                    }
                }
            } else {
                millis.replaceAll((k, ms) -> ms / passes);
            }
            byVariant.put(v, millis);
        }
        System.out.printf(Locale.ROOT, "%s%s, batch %d, ms per pass (%s of %d), load %.1f%n", model, folded
                ? " folded" : "", batch, cpu ? "thread CPU time, sum of each vertex's fastest call" : "wall, mean",
                passes,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| vertex kind | count | removed 0 | 0.5 | 0.7 | 0.7, multiple 8 | 0 / 0.7 |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        TreeSet<String> kinds = new TreeSet<>(byVariant.get("0/1").keySet());
        kinds.add("TOTAL");
        for (String kind : kinds) {
            List<Double> row = new ArrayList<>();
            for (String v : variants) {
                Map<String, Double> m = byVariant.get(v);
                row.add(kind.equals("TOTAL") ? m.values().stream().mapToDouble(Double::doubleValue).sum()
                        : m.getOrDefault(kind, 0.0));
            }
            System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %.2f | %.1fx |%n", kind, kind.equals(
                    "TOTAL") ? "" : String.valueOf(counts.get(kind) / (3 + passes) / variants.length), row.get(0), row
                            .get(1), row.get(2), row.get(3), row.get(0) / row.get(2));
        }
    }

    private static String kind(GraphVertex v) {
        return v.hasLayer() ? v.getLayer().conf().getLayer().getClass().getSimpleName()
                : v.getClass().getSimpleName();
    }

    private static void profile(ComputationGraph net, INDArray input, Map<String, Double> millis,
                                Map<String, Integer> counts, boolean cpu, double[] fastest) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        VertexPass.run(net, input, cpu ? threads::getCurrentThreadCpuTime : System::nanoTime, (i, v, nanos) -> {
            String kind = kind(v);
            double ms = nanos / 1e6;
            millis.merge(kind, ms, Double::sum);
            if (fastest != null) {
                fastest[i] = Math.min(fastest[i], ms);
            }
            counts.merge(kind, 1, Integer::sum);
        });
    }
}
