package org.rpg4j.dl4j.parallel;

import java.io.File;
import java.io.IOException;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.optimize.solvers.accumulation.EncodedGradientsAccumulator;
import org.deeplearning4j.optimize.solvers.accumulation.EncodingHandler;
import org.deeplearning4j.optimize.solvers.accumulation.GradientsAccumulator;
import org.deeplearning4j.parallelism.factory.DefaultTrainerContext;
import org.deeplearning4j.parallelism.factory.SymmetricTrainerContext;
import org.rpg4j.dl4j.DetachedRun;
import org.rpg4j.dl4j.PrunableLayers;
import org.rpg4j.dl4j.ReplicaTensors;
import org.rpg4j.prune.PruningConfig;

/**
 * Entry points: prune while DL4J's {@link ParallelWrapper} trains, in averaging or shared-gradient mode.
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
 *   <li>{@code TrainingMode.AVERAGING} is accepted with averaging frequency 1 only (with a larger
 *       frequency the replicas' weights differ inside a round); {@code TrainingMode.SHARED_GRADIENTS}
 *       with DL4J's {@code EncodedGradientsAccumulator} and {@code EncodingHandler} (the defaults):
 *       every worker also masks its encoder residual before each encoding and after each step, so no
 *       pruned position is ever sent, and each replica keeps its own updater state, masked at every
 *       topology update. Any other accumulator or trainer context is refused
 *       at attach time.
 * </ul>
 */
public final class ParallelPruning {
    private ParallelPruning() {}

    /**
     * Same as {@code attach(wrapper, config, PrunableLayers.defaults())}.
     *
     * @param wrapper a ParallelWrapper in averaging mode with averaging frequency 1, or in
     *     shared-gradient mode; not yet fitted
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
     * @param wrapper a ParallelWrapper in averaging mode with averaging frequency 1, or in
     *     shared-gradient mode
     * @param config the pruning run; its iterations count rounds
     * @param layers which layer configurations hold prunable weights
     * @return the run's handle
     * @throws IllegalArgumentException if an argument is null, the wrapper's mode, accumulator or
     *     averaging frequency is unsupported, or it already has a model-parameters supplier
     * @throws IllegalStateException if the wrapper already carries rpg4j pruning
     */
    public static ParallelRun attach(ParallelWrapper wrapper, PruningConfig config, PrunableLayers layers) {
        SharedRounds shared = checkWrapper(wrapper);
        return install(wrapper, DetachedRun.attach(wrapper.getModel(), config, layers), shared);
    }

    /**
     * Continues a run saved with {@link ParallelRun#save} (or {@code Pruning.save}) on a wrapper built on
     * {@code saved.network()}, the network {@link DetachedRun#restore} loaded.
     *
     * @param wrapper a ParallelWrapper built on {@code saved.network()}, in a mode {@link #attach} accepts
     * @param saved the restored run
     * @return the run's handle
     * @throws IllegalArgumentException if an argument is null, the wrapper is not built on the saved
     *     network, or its mode or averaging frequency is unsupported
     * @throws IllegalStateException if the wrapper already carries rpg4j pruning
     */
    public static ParallelRun resume(ParallelWrapper wrapper, DetachedRun saved) {
        SharedRounds shared = checkWrapper(wrapper);
        if (saved == null) {
            throw new IllegalArgumentException("saved must not be null");
        }
        if (wrapper.getModel() != saved.network()) {
            throw new IllegalArgumentException("the wrapper must be built on saved.network(), the network "
                    + "DetachedRun.restore loaded");
        }
        return install(wrapper, saved, shared);
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

    private static ParallelRun install(ParallelWrapper wrapper, DetachedRun run, SharedRounds shared) {
        Replicas replicas = new Replicas(wrapper, run.pruner(), ReplicaTensors.bind(run.network(), run.pruner()));
        RoundBoundary boundary = new RoundBoundary(run, replicas, shared);
        ReplicaListener listener = new ReplicaListener(boundary);
        boundary.listener(listener);
        wrapper.setModelParamsSupplier(boundary);
        wrapper.setListeners(listener);
        return new ParallelRun(wrapper, run, boundary, listener);
    }

    /** @return the shared-gradient support for a wrapper in that mode, null in averaging mode */
    private static SharedRounds checkWrapper(ParallelWrapper wrapper) {
        if (wrapper == null) {
            throw new IllegalArgumentException("wrapper must not be null");
        }
        if (wrapper.getListeners().stream().anyMatch(ReplicaListener.class::isInstance)) {
            throw new IllegalStateException("this ParallelWrapper already carries rpg4j pruning: use its ParallelRun");
        }
        SharedRounds shared = sharedGradients(wrapper);
        if (shared == null) {
            checkAveraging(wrapper);
        }
        if (wrapper.getModelParamsSupplier() != null) {
            throw new IllegalArgumentException("ParallelWrapper modelParamsSupplier must be unset for rpg4j (it "
                    + "runs its round boundary there), got " + wrapper.getModelParamsSupplier());
        }
        Model root = wrapper.getModel();
        if (root == null) {
            throw new IllegalArgumentException("the wrapper has no network");
        }
        return shared;
    }

    /**
     * @return the shared-gradient support if the wrapper trains in SHARED_GRADIENTS mode with DL4J's
     *     own encoded accumulator and handler (whose residual rpg4j masks), null if it has no accumulator
     * @throws IllegalArgumentException for any other accumulator or trainer context
     */
    private static SharedRounds sharedGradients(ParallelWrapper wrapper) {
        GradientsAccumulator accumulator = wrapper.getGradientsAccumulator();
        boolean symmetric = wrapper.getTrainerContext() != null
                && wrapper.getTrainerContext().getClass() == SymmetricTrainerContext.class;
        if (accumulator == null && !symmetric) {
            return null;
        }
        if (symmetric && accumulator != null && accumulator.getClass() == EncodedGradientsAccumulator.class) {
            EncodedGradientsAccumulator encoded = (EncodedGradientsAccumulator) accumulator;
            if (encoded.getHandler() != null && encoded.getHandler().getClass() == EncodingHandler.class
                    && encoded.getExternalSource() == null) {
                return new SharedRounds(SharedResiduals.of(encoded));
            }
        }
        throw new IllegalArgumentException("ParallelWrapper trainingMode must be AVERAGING or SHARED_GRADIENTS with "
                + "DL4J's EncodedGradientsAccumulator and EncodingHandler for rpg4j, got a wrapper with "
                + describe(wrapper) + ": rpg4j keeps pruned positions out of the shared updates by masking that "
                + "encoder's residual, and cannot do so for another accumulator, handler or trainer context (pruned "
                + "weights would drift). Build the wrapper with .trainingMode(ParallelWrapper.TrainingMode.AVERAGING) "
                + "or .trainingMode(ParallelWrapper.TrainingMode.SHARED_GRADIENTS) without a custom accumulator");
    }

    private static void checkAveraging(ParallelWrapper wrapper) {
        if (wrapper.getTrainerContext() == null || wrapper.getTrainerContext()
                .getClass() != DefaultTrainerContext.class) {
            throw new IllegalArgumentException("ParallelWrapper trainingMode must be AVERAGING or SHARED_GRADIENTS for "
                    + "rpg4j, got a wrapper with " + describe(wrapper) + ": with another trainer context rpg4j cannot "
                    + "tell how updates reach the parameters, so pruned weights could drift");
        }
        if (wrapper.getAveragingFrequency() != 1) {
            throw new IllegalArgumentException("ParallelWrapper averagingFrequency must be 1 for rpg4j, got "
                    + wrapper.getAveragingFrequency() + ": a topology update needs every replica at the same "
                    + "weights when it captures its gradient, and the masks pushed at a round boundary");
        }
    }

    private static String describe(ParallelWrapper wrapper) {
        String context = wrapper.getTrainerContext() == null ? "no trainer context"
                : wrapper.getTrainerContext().getClass().getSimpleName();
        GradientsAccumulator accumulator = wrapper.getGradientsAccumulator();
        if (accumulator == null) {
            return context;
        }
        String handler = accumulator instanceof EncodedGradientsAccumulator e && e.getHandler() != null
                ? " (handler " + e.getHandler().getClass().getSimpleName() + ")"
                : "";
        return context + " and a " + accumulator.getClass().getSimpleName() + handler;
    }
}
