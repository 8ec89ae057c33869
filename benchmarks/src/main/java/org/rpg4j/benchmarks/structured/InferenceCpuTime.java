package org.rpg4j.benchmarks.structured;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.structured.StructuredReport;
import org.rpg4j.dl4j.structured.StructuredResult;

/**
 * The speed-up table of {@link ShrunkInferenceTable} measured in CPU time of the calling thread instead of
 * wall time, for a machine that is not idle: run it with {@code OMP_NUM_THREADS=1}, so that every libnd4j,
 * oneDNN and BLAS op runs on the calling thread and its CPU time is the whole inference cost whatever else
 * the machine runs (the ratios are single-thread ratios; the wall-time JMH table is the one to quote from
 * an idle machine). Per model, batch, fraction removed and {@link InferencePath}: the fastest of
 * {@code blocks} blocks of passes, dense against shrunk along the same path. The blocks are interleaved (each
 * round runs one block of every fraction and path, after one warm-up round): on a loaded machine even the
 * thread CPU time of a pass varies by 2x with the moment (caches flushed by other processes), so a sequential
 * measurement would compare different moments.
 *
 * <pre>OMP_NUM_THREADS=1 java -cp benchmarks.jar org.rpg4j.benchmarks.structured.InferenceCpuTime RESNET56 1 20 3</pre>
 */
public final class InferenceCpuTime {
    private static final String[] REMOVED = {"0", "0.5", "0.7"};

    private InferenceCpuTime() {}

    /**
     * @param args model ({@code RESNET56} or {@code VGG19}), batch, passes per block, blocks, optionally the
     *     paths (comma-separated {@link InferencePath} names; default all)
     */
    public static void main(String[] args) {
        String model = args[0];
        int batch = Integer.parseInt(args[1]);
        int passes = Integer.parseInt(args[2]);
        int blocks = Integer.parseInt(args[3]);
        List<InferencePath> paths = args.length > 4 ? Arrays.stream(args[4].split(",")).map(InferencePath::valueOf)
                .toList() : List.of(InferencePath.values());
        Nd4j.getRandom().setSeed(42);
        INDArray input = Nd4j.rand(DataType.FLOAT, batch, 3, 32, 32);
        Map<String, UnaryOperator<INDArray>> forwards = new LinkedHashMap<>();
        Map<String, Double> macRatio = new LinkedHashMap<>();
        for (String removed : REMOVED) {
            StructuredResult pruned = ShrunkModels.prune(model, Double.parseDouble(removed), 1);
            StructuredReport report = pruned.report();
            macRatio.put(removed, (double) report.macsBefore() / report.macsAfter());
            for (InferencePath path : paths) {
                forwards.put(removed + "/" + path, path.prepare((ComputationGraph) pruned.network()));
            }
        }
        Map<String, Double> millis = cpuMillis(forwards, input, passes, blocks);
        System.out.printf(Locale.ROOT, "%s batch %d: thread CPU ms per pass (fastest of %d blocks of %d), "
                + "OMP_NUM_THREADS=%s, load %.1f%n", model, batch, blocks, passes, System.getenv("OMP_NUM_THREADS"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| model | batch | removed | path | MACs ratio | dense ms | shrunk ms | speed-up | "
                + "speed-up / MAC ratio | goal >= 0.7 | shrunk vs dense AS_IS |");
        System.out.println("|---|---:|---:|---|---:|---:|---:|---:|---:|---|---:|");
        for (String removed : List.of("0.5", "0.7")) {
            for (InferencePath path : paths) {
                double dense = millis.get("0/" + path);
                double shrunk = millis.get(removed + "/" + path);
                double speedUp = dense / shrunk;
                double ratio = macRatio.get(removed);
                Double asIs = millis.get("0/" + InferencePath.AS_IS);
                System.out.printf(Locale.ROOT, "| %s | %d | %s | %s | %.2fx | %.2f | %.2f | %.2fx | %.2f | %s | %s |%n",
                        model, batch, removed, path, ratio, dense, shrunk, speedUp, speedUp / ratio,
                        speedUp >= ShrunkInferenceTable.GOAL * ratio ? "PASS" : "FAIL", asIs == null ? ""
                                : String.format(Locale.ROOT, "%.2fx", asIs / shrunk));
            }
        }
    }

    /**
     * @return per key, the fastest block's thread CPU milliseconds per pass; the blocks are interleaved (each
     *     round runs one block of every key, after one warm-up round), so that a change of the machine's load
     *     affects every key alike
     */
    private static Map<String, Double> cpuMillis(Map<String, UnaryOperator<INDArray>> forwards, INDArray input,
                                                 int passes, int blocks) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Double> best = new LinkedHashMap<>();
        for (int b = -1; b < blocks; b++) {
            for (Map.Entry<String, UnaryOperator<INDArray>> f : forwards.entrySet()) {
                long start = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < passes; i++) {
                    f.getValue().apply(input);
                }
                double ms = (threads.getCurrentThreadCpuTime() - start) / 1e6 / passes;
                if (b >= 0) {
                    best.merge(f.getKey(), ms, Math::min);
                }
            }
        }
        return best;
    }
}
