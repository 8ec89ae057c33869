package org.rpg4j.dl4j.parallel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.trainer.Trainer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A test listener on every replica: in {@code onGradientCalculation} (before the step) records the
 * replica's iteration count, parameters and updater state, so a test can check that every replica
 * starts every round from the same state (ParallelWrapper averages both after every round, and
 * rpg4j copies the root into every new replica before the first round of each fit).
 */
final class RoundStartCheck extends BaseTrainingListener {
    /** One replica's state at the start of a round. */
    record Start(int worker, float[] params, float[] state) {}

    /** What must be equal between the replicas at the start of a round. */
    enum Compared {
        /** parameters and updater state (averaging mode averages both) */
        PARAMETERS_AND_STATE,
        /** parameters only (in shared-gradient mode each worker keeps its own updater state) */
        PARAMETERS
    }

    private final ParallelWrapper wrapper;
    private final Compared compared;
    private final Map<Integer, List<Start>> byIteration = new ConcurrentHashMap<>();

    RoundStartCheck(ParallelWrapper wrapper) {
        this(wrapper, Compared.PARAMETERS_AND_STATE);
    }

    RoundStartCheck(ParallelWrapper wrapper, Compared compared) {
        this.wrapper = wrapper;
        this.compared = compared;
    }

    @Override
    public void onGradientCalculation(Model model) {
        int iteration = model instanceof MultiLayerNetwork n ? n.getIterationCount()
                : ((ComputationGraph) model).getIterationCount();
        INDArray state = model instanceof MultiLayerNetwork n ? n.getUpdater(true).getStateViewArray()
                : ((ComputationGraph) model).getUpdater(true).getStateViewArray();
        Start start = new Start(worker(model), flat(model.params()), flat(state));
        byIteration.computeIfAbsent(iteration, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                .add(start);
    }

    private int worker(Model model) {
        Trainer[] zoo = wrapper.getZoo();
        for (int i = 0; zoo != null && i < zoo.length; i++) {
            if (zoo[i] != null && zoo[i].getModel() == model) {
                return i;
            }
        }
        return -1;
    }

    private static float[] flat(INDArray a) {
        return a.dup('c').reshape(-1).toFloatVector();
    }

    /**
     * @param workers replicas expected in every round
     * @return for each iteration count seen, in order, a description of what differs, empty if
     *     every round had {@code workers} replicas with one iteration count, equal parameters and
     *     equal updater state
     */
    List<String> problems(int workers) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<Integer, List<Start>> e : new TreeMap<>(byIteration).entrySet()) {
            List<Start> starts = e.getValue();
            if (starts.size() != workers) {
                out.add("iteration " + e.getKey() + ": " + starts.size() + " replicas started it, expected " + workers);
                continue;
            }
            Start first = starts.get(0);
            for (Start s : starts.subList(1, starts.size())) {
                boolean stateDiffers = compared == Compared.PARAMETERS_AND_STATE
                        && !Arrays.equals(first.state(), s.state());
                if (!Arrays.equals(first.params(), s.params()) || stateDiffers) {
                    out.add("iteration " + e.getKey() + ": worker " + s.worker() + " started from other parameters or "
                            + "updater state than worker " + first.worker());
                }
            }
        }
        return out;
    }

    /** @return how many distinct iteration counts were seen */
    int iterations() {
        return byIteration.size();
    }
}
