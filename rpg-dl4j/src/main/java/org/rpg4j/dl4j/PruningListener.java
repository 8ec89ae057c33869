package org.rpg4j.dl4j;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * rpg4j's training listener: {@code onGradientCalculation} runs after backprop and before the
 * updater (checks, capture, rank gradient, masking, topology update, snapshot for a skipped step),
 * {@code iterationDone} after {@code params -= update} and before DL4J increments its iteration
 * count (undo a skipped step, check weights), {@code onEpochEnd} before DL4J increments its epoch
 * count (so that a save made there records the finished epoch). Listeners are not serialised with
 * the model; {@link Dl4jPruning#restore} adds a new one.
 */
final class PruningListener extends BaseTrainingListener {
    private final PruningRuntime runtime;

    PruningListener(PruningRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void onGradientCalculation(Model model) {
        if (model == runtime.model()) {
            runtime.beforeUpdater();
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (model == runtime.model()) {
            runtime.afterStep(iteration);
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        if (model == runtime.model()) {
            runtime.epochEnded();
        }
    }

    @Override
    public String toString() {
        return "rpg4j PruningListener";
    }
}
