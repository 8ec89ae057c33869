package org.rpg4j.spark;

import java.util.LinkedHashMap;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.prune.Pruner;
import org.rpg4j.prune.RankStep;

/**
 * Runs on each executor, inside DL4J's {@code ParameterAveragingTrainingWorker}, with the
 * {@link RoundPlan} the driver shipped for the current round. Registered both as a training hook and
 * as a training listener of the training master; Spark gives every task its own copy.
 *
 * <ol>
 *   <li>before the task's first update: checks that the broadcast weights are exactly 0.0 wherever the
 *       plan's masks prune (else the driver and the broadcast disagree: {@link IllegalStateException});
 *   <li>after backprop, before the updater ({@code onGradientCalculation}): when the plan captures,
 *       adds the dense batch-mean gradient to the task's {@link RoundScores}; when the rank loss is on
 *       and due at this iteration, adds its gradient (from a copy of the driver's pruner shipped with
 *       the plan); then masks the gradient;
 *   <li>after each update ({@code postUpdate}): records whether a masked weight moved, sets pruned
 *       weights to exactly 0.0 and zeroes their updater state.
 * </ol>
 */
final class ExecutorMasking extends BaseTrainingListener implements TrainingHook {
    private static final long serialVersionUID = 1L;

    private RoundPlan plan;
    private final RoundScoreAccumulator accumulator;
    private transient Map<String, INDArray> masks;
    private transient Map<String, INDArray> pruned;
    private transient long taskIterations;
    private transient Pruner rankPruner;
    private transient Map<String, INDArray> rankScratch;

    /**
     * @param plan the first round's plan
     * @param accumulator the driver-registered accumulator the tasks report into
     */
    ExecutorMasking(RoundPlan plan, RoundScoreAccumulator accumulator) {
        this.plan = plan;
        this.accumulator = accumulator;
    }

    /** Driver: the plan the next round's tasks will carry. */
    void plan(RoundPlan next) {
        this.plan = next;
    }

    RoundPlan plan() {
        return plan;
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        startTask(model);
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        startTask(model);
    }

    @Override
    public void onGradientCalculation(Model model) {
        startTask(model);
        Gradient gradient = model.gradient();
        RoundScores scores = accumulator.local();
        boolean capture = plan.capture() == ScoreCapture.DENSE_GRADIENT;
        double batch = model.batchSize();
        for (Map.Entry<String, INDArray> e : masks.entrySet()) {
            INDArray g = gradient.getGradientFor(e.getKey());
            if (g == null) {
                throw new IllegalStateException("no gradient for pruned tensor '" + e.getKey() + "' on the executor");
            }
            if (capture) {
                // DL4J's gradient here is the sum over the minibatch; the score is the batch mean.
                double[] mean = Nd4j.toFlattened('c', g).toDoubleVector();
                for (int i = 0; i < mean.length; i++) {
                    mean[i] /= batch;
                }
                scores.addGradient(e.getKey(), mean);
            }
        }
        addRankGradient(model, batch, scores);
        for (Map.Entry<String, INDArray> e : masks.entrySet()) {
            gradient.getGradientFor(e.getKey()).muli(e.getValue());
        }
        if (capture) {
            scores.gradientStep();
        }
        scores.listenerStep();
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
        enforce(model);
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
        enforce(model);
    }

    /**
     * Adds {@code batch * (lambda / nActive) * dRankLoss/dW} to the gradient (DL4J's gradient is the
     * batch sum; the rank term is weighted against the batch mean), as the single-JVM run does.
     */
    private void addRankGradient(Model model, double batch, RoundScores scores) {
        long iteration = plan.firstIteration() + taskIterations;
        if (rankPruner == null || !rankPruner.addsRankGradient(iteration)) {
            return;
        }
        Map<String, INDArray> params = model.paramTable();
        Map<String, INDArray> weights = new LinkedHashMap<>();
        masks.keySet().forEach(name -> weights.put(name, params.get(name)));
        MemoryWorkspace scope = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
        try {
            RankStep step = rankPruner.rankStep(weights);
            for (String name : masks.keySet()) {
                INDArray scratch = rankScratch.get(name);
                scratch.assign(0);
                step.addGradientInPlace(name, scratch);
                model.gradient().getGradientFor(name).addi(scratch.muli(batch));
            }
        } finally {
            scope.close();
        }
        scores.rankStep();
    }

    private void startTask(Model model) {
        if (masks != null) {
            return;
        }
        masks = new LinkedHashMap<>();
        pruned = new LinkedHashMap<>();
        Map<String, INDArray> params = model.paramTable();
        for (String name : plan.tensorNames()) {
            INDArray w = params.get(name);
            INDArray mask = Nd4j.create(plan.mask(name), plan.shape(name), 'c').castTo(w.dataType());
            masks.put(name, mask);
            pruned.put(name, mask.rsub(1.0));
            double drift = w.mul(pruned.get(name)).norm1Number().doubleValue();
            if (drift != 0.0) {
                throw new IllegalStateException("round " + plan.round() + ": the broadcast weights of '" + name
                        + "' are non-zero where the driver's mask prunes (L1 " + drift + "): the driver and "
                        + "the executors disagree on the mask");
            }
        }
        UpdaterStateMasking.applyInPlace(model, masks);
        if (plan.rankPruner() != null) {
            MemoryWorkspace scope = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
            try {
                rankPruner = plan.rankPruner().restore();
                rankScratch = new LinkedHashMap<>();
                masks.forEach((name, mask) -> rankScratch.put(name, Nd4j.zeros(mask.dataType(), mask.shape())));
            } finally {
                scope.close();
            }
        }
        accumulator.local().taskStarted();
    }

    private void enforce(Model model) {
        startTask(model);
        Map<String, INDArray> params = model.paramTable();
        boolean violated = false;
        for (Map.Entry<String, INDArray> e : masks.entrySet()) {
            INDArray w = params.get(e.getKey());
            violated |= w.mul(pruned.get(e.getKey())).norm1Number().doubleValue() != 0.0;
            w.muli(e.getValue());
        }
        UpdaterStateMasking.applyInPlace(model, masks);
        taskIterations++;
        accumulator.local().iterationDone(taskIterations, violated);
    }
}
