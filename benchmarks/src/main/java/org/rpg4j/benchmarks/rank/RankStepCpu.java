package org.rpg4j.benchmarks.rank;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.benchmarks.models.ModelShapes;
import org.rpg4j.benchmarks.models.ModelTensors;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.Pruner;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;
import org.rpg4j.prune.RankStep;

/**
 * The rank step of {@link ModelRankGradientBenchmark} (same model tensors, seed, sparsity and
 * settings), timed call by call as wall time and as the CPU time of the whole process. Run with
 * {@code OMP_NUM_THREADS=1} (no spinning helper threads), the CPU time is the work of the step,
 * which other processes on a loaded machine change much less than the wall time.
 *
 * <p>Arguments: the model ({@link ModelShapes}, default {@code VGG19}) and the number of calls
 * (default 6). Prints {@code model wall/cpu ms: w1/c1 w2/c2 ...}.
 */
public final class RankStepCpu {

    private RankStepCpu() {
    }

    public static void main(String[] args) {
        ModelShapes model = ModelShapes.valueOf(args.length > 0 ? args[0] : "VGG19");
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        List<PrunableTensor> tensors = ModelTensors.describe(model);
        PruningConfig config = PruningConfig.builder(0.9, 100_000)
                .rankLoss(RankLoss.lambda(0.5).partialK(SvdBenchmark.PARTIAL_K)).build();
        Pruner pruner = Pruner.create(config, tensors);
        Map<String, INDArray> weights = ModelTensors.weights(tensors, SvdBenchmark.SPARSITY, SvdBenchmark.SEED);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        StringBuilder line = new StringBuilder(model + " wall/cpu ms:");
        for (int i = 0; i < calls; i++) {
            long wall = System.nanoTime();
            long cpu = os.getProcessCpuTime();
            RankStep step = pruner.rankStep(weights);
            line.append(String.format(Locale.ROOT, " %.0f/%.0f", (System.nanoTime() - wall) / 1e6,
                    (os.getProcessCpuTime() - cpu) / 1e6));
            if (step.aggregate().activeLayers() == 0) {
                line.append("(no active layer)");
            }
        }
        System.out.println(line);
    }
}
