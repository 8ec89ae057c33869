package org.rpg4j.dl4j.parallel;

import java.io.File;
import java.io.IOException;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.factory.DefaultTrainerContext;
import org.rpg4j.dl4j.DetachedRun;
import org.rpg4j.dl4j.PrunableLayers;
import org.rpg4j.dl4j.ReplicaTensors;
import org.rpg4j.prune.PruningConfig;

/**
 * Entry points: prune while DL4J's {@link ParallelWrapper} trains (averaging mode).
 *
 * <pre>{@code
 * MultiLayerNetwork net = ...;                  // initialised, no Dl4jPruning attached
 * ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net).workers(2).averagingFrequency(1).build();
 * ParallelRun run = ParallelPruning.attach(wrapper, PruningConfig.builder(0.9, totalRounds).build());
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     run.fit(trainIterator);                   // not wrapper.fit: it completes the last round's update
 * }
 * run.finish();
 * }</pre>
 *
 * What is guaranteed, and what ParallelWrapper allows:
 * <ul>
 *   <li>one pruner, on the root network (the one the wrapper was built on, which worker 0 trains);
 *       the pruning iteration is the round: every worker trains one minibatch per round;
 *   <li>every replica masks its gradient before the updater and its weights after each step, so
 *       pruned weights are exactly 0.0 on every replica after every iteration; updater state at
 *       masked positions is zeroed on every replica whenever masks change;
 *   <li>a topology update runs once, between rounds, on the mean over workers of their dense
 *       batch-mean gradients, all captured at the same averaged weights (averaging frequency 1),
 *       as the reference's all-reduce does; its rank loss is computed once, on the root; the root's
 *       parameters, updater state and masks are then copied to every replica before the next round;
 *   <li>every fit starts with every replica an exact copy of the root (parameters, updater state,
 *       masks), and the root keeps its updater state between fits, so a run is repeatable for a
 *       seed, data and worker count, and a run saved between fits resumes exactly;
 *   <li>only {@code TrainingMode.AVERAGING} with averaging frequency 1 is accepted: with a larger
 *       frequency the replicas' weights differ inside a round, and in {@code SHARED_GRADIENTS} mode
 *       the threshold encoder's residuals and other workers' updates reach the parameters outside
 *       any hook, so masks would drift. Both are refused at attach time.
 * </ul>
 */
public final class ParallelPruning {
    private ParallelPruning() {}

    /**
     * Same as {@code attach(wrapper, config, PrunableLayers.defaults())}.
     *
     * @param wrapper a ParallelWrapper in averaging mode, averaging frequency 1, not yet fitted
     * @param config the pruning run; its iterations count rounds
     * @return the run's handle
     */
    public static ParallelRun attach(ParallelWrapper wrapper, PruningConfig config) {
        return attach(wrapper, config, PrunableLayers.defaults());
    }

    /**
     * Attaches a new pruning run to the wrapper's network: applies the initial masks to it, installs
     * rpg4j's replica listener on the wrapper and its round-boundary supplier as the wrapper's
     * model-parameters supplier.
     *
     * @param wrapper a ParallelWrapper in averaging mode, averaging frequency 1
     * @param config the pruning run; its iterations count rounds
     * @param layers which layer configurations hold prunable weights
     * @return the run's handle
     * @throws IllegalArgumentException if an argument is null, the wrapper's mode or averaging
     *     frequency is unsupported, or it already has a model-parameters supplier
     * @throws IllegalStateException if the wrapper already carries rpg4j pruning
     */
    public static ParallelRun attach(ParallelWrapper wrapper, PruningConfig config, PrunableLayers layers) {
        checkWrapper(wrapper);
        return install(wrapper, DetachedRun.attach(wrapper.getModel(), config, layers));
    }

    /**
     * Continues a run saved with {@link ParallelRun#save} (or {@code Pruning.save}) on a wrapper built on
     * {@code saved.network()}, the network {@link DetachedRun#restore} loaded.
     *
     * @param wrapper a ParallelWrapper built on {@code saved.network()}, averaging mode, frequency 1
     * @param saved the restored run
     * @return the run's handle
     * @throws IllegalArgumentException if an argument is null, the wrapper is not built on the saved
     *     network, or its mode or averaging frequency is unsupported
     * @throws IllegalStateException if the wrapper already carries rpg4j pruning
     */
    public static ParallelRun resume(ParallelWrapper wrapper, DetachedRun saved) {
        checkWrapper(wrapper);
        if (saved == null) {
            throw new IllegalArgumentException("saved must not be null");
        }
        if (wrapper.getModel() != saved.network()) {
            throw new IllegalArgumentException("the wrapper must be built on saved.network(), the network "
                    + "DetachedRun.restore loaded");
        }
        return install(wrapper, saved);
    }

    /**
     * Loads a saved run: same as {@code DetachedRun.restore(modelZip, PrunableLayers.defaults())}. Build
     * the wrapper on its {@code network()}, then call {@link #resume}.
     *
     * @param modelZip the saved model
     * @return the restored run
     * @throws IOException if the file cannot be read
     */
    public static DetachedRun restore(File modelZip) throws IOException {
        return DetachedRun.restore(modelZip, PrunableLayers.defaults());
    }

    private static ParallelRun install(ParallelWrapper wrapper, DetachedRun run) {
        Replicas replicas = new Replicas(wrapper, run.pruner(), ReplicaTensors.bind(run.network(), run.pruner()));
        RoundBoundary boundary = new RoundBoundary(run, replicas);
        ReplicaListener listener = new ReplicaListener(boundary);
        boundary.listener(listener);
        wrapper.setModelParamsSupplier(boundary);
        wrapper.setListeners(listener);
        return new ParallelRun(wrapper, run, boundary, listener);
    }

    private static void checkWrapper(ParallelWrapper wrapper) {
        if (wrapper == null) {
            throw new IllegalArgumentException("wrapper must not be null");
        }
        if (wrapper.getListeners().stream().anyMatch(ReplicaListener.class::isInstance)) {
            throw new IllegalStateException("this ParallelWrapper already carries rpg4j pruning: use its ParallelRun");
        }
        if (wrapper.getGradientsAccumulator() != null || wrapper.getTrainerContext() == null
                || wrapper.getTrainerContext().getClass() != DefaultTrainerContext.class) {
            throw new IllegalArgumentException(
                    "ParallelWrapper trainingMode must be AVERAGING for rpg4j, got a wrapper "
                            + "with " + describe(wrapper)
                            + ": in SHARED_GRADIENTS (or CUSTOM) mode the threshold encoder's "
                            + "residuals and the other workers' updates are applied to the parameters outside DL4J's "
                            + "listener and regularization hooks, so pruned weights would drift. Build the wrapper with "
                            + ".trainingMode(ParallelWrapper.TrainingMode.AVERAGING)");
        }
        if (wrapper.getAveragingFrequency() != 1) {
            throw new IllegalArgumentException("ParallelWrapper averagingFrequency must be 1 for rpg4j, got "
                    + wrapper.getAveragingFrequency() + ": a topology update needs every replica at the same "
                    + "weights when it captures its gradient, and the masks pushed at a round boundary");
        }
        if (wrapper.getModelParamsSupplier() != null) {
            throw new IllegalArgumentException("ParallelWrapper modelParamsSupplier must be unset for rpg4j (it "
                    + "runs its round boundary there), got " + wrapper.getModelParamsSupplier());
        }
        Model root = wrapper.getModel();
        if (root == null) {
            throw new IllegalArgumentException("the wrapper has no network");
        }
    }

    private static String describe(ParallelWrapper wrapper) {
        String context = wrapper.getTrainerContext() == null ? "no trainer context"
                : wrapper.getTrainerContext().getClass().getSimpleName();
        return context + (wrapper.getGradientsAccumulator() == null ? "" : " and a gradients accumulator");
    }
}
