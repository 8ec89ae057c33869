package org.rpg4j.benchmarks.prune;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.benchmarks.models.ModelShapes;
import org.rpg4j.benchmarks.models.ModelTensors;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.Pruner;
import org.rpg4j.prune.PrunerState;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;

/**
 * {@link PrunerUpdateBenchmark}'s setup and timed call outside JMH, printing per call the wall time,
 * the CPU time of the whole process (all threads: the caller, the fork-join workers and ND4J's), the
 * garbage collections that ran during the call (count and accumulated time, as the collectors'
 * MXBeans report them) and the heap bytes allocated during the call by the threads alive at its end.
 * On a machine shared with other jobs the CPU time is far less disturbed than the wall time, so it
 * is the number to compare two builds by there; the GC columns show how much of a slow call was
 * spent collecting.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar
 * org.rpg4j.benchmarks.prune.PrunerUpdateCpuTime RESNET50 <warm-up calls> <measured calls>}.
 */
public final class PrunerUpdateCpuTime {
    private PrunerUpdateCpuTime() {
    }

    /**
     * @param args model ({@link ModelShapes} name), warm-up calls, measured calls
     */
    public static void main(String[] args) {
        if (args.length != 3) {
            throw new IllegalArgumentException("arguments must be: model warm-up-calls measured-calls, got "
                    + args.length + " arguments");
        }
        ModelShapes model = ModelShapes.valueOf(args[0]);
        int warm = Integer.parseInt(args[1]);
        int measured = Integer.parseInt(args[2]);
        List<PrunableTensor> tensors = ModelTensors.describe(model);
        int deltaT = PrunerUpdateBenchmark.DELTA_T;
        PruningConfig config = PruningConfig.builder(0.9, 100L * deltaT).deltaT(deltaT)
                .rankLoss(RankLoss.none()).build();
        Map<String, INDArray> saved = ModelTensors.weights(tensors, 0.0, 200);
        Map<String, INDArray> gradients = ModelTensors.gradients(tensors, 300);
        Pruner first = Pruner.create(config, tensors);
        first.initialise(saved);
        first.updateTopology(iteration(PrunerUpdateBenchmark.UPDATE - 1), saved, gradients);
        PrunerState state = first.state();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
                .getOperatingSystemMXBean();
        for (int call = 0; call < warm + measured; call++) {
            Map<String, INDArray> weights = new LinkedHashMap<>();
            saved.forEach((name, w) -> weights.put(name, w.dup()));
            Pruner pruner = Pruner.restore(config, tensors, state);
            long[] gc = gcCountAndMillis();
            long allocated = allocatedBytes();
            long cpu = os.getProcessCpuTime();
            long wall = System.nanoTime();
            pruner.updateTopology(iteration(PrunerUpdateBenchmark.UPDATE), weights, gradients);
            wall = System.nanoTime() - wall;
            cpu = os.getProcessCpuTime() - cpu;
            allocated = allocatedBytes() - allocated;
            long[] gcAfter = gcCountAndMillis();
            if (call >= warm) {
                System.out.printf(Locale.ROOT, "%s call %d: wall %.1f ms, process CPU %.1f ms, GCs %d (%d ms), "
                        + "allocated %.0f MB%n", model, call - warm, wall / 1e6, cpu / 1e6, gcAfter[0] - gc[0],
                        gcAfter[1] - gc[1], allocated / 1e6);
            }
        }
    }

    /** @return collections so far and their accumulated time in ms, over all collectors */
    private static long[] gcCountAndMillis() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, bean.getCollectionCount());
            millis += Math.max(0, bean.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /** @return heap bytes allocated so far by the threads now alive (the caller and the fork-join workers) */
    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                .getThreadMXBean();
        long total = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(0, bytes);
        }
        return total;
    }

    private static long iteration(int update) {
        return (update + 1L) * PrunerUpdateBenchmark.DELTA_T - 1;
    }
}
