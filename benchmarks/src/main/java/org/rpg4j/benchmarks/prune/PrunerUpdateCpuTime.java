package org.rpg4j.benchmarks.prune;

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
 * {@link PrunerUpdateBenchmark}'s setup and timed call outside JMH, printing per call the wall time
 * and the CPU time of the whole process (all threads: the caller, the fork-join workers and ND4J's).
 * On a machine shared with other jobs the CPU time is far less disturbed than the wall time, so it
 * is the number to compare two builds by there.
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
            long cpu = os.getProcessCpuTime();
            long wall = System.nanoTime();
            pruner.updateTopology(iteration(PrunerUpdateBenchmark.UPDATE), weights, gradients);
            wall = System.nanoTime() - wall;
            cpu = os.getProcessCpuTime() - cpu;
            if (call >= warm) {
                System.out.printf(Locale.ROOT, "%s call %d: wall %.1f ms, process CPU %.1f ms%n", model, call - warm,
                        wall / 1e6, cpu / 1e6);
            }
        }
    }

    private static long iteration(int update) {
        return (update + 1L) * PrunerUpdateBenchmark.DELTA_T - 1;
    }
}
