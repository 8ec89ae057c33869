package org.rpg4j.prune;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.mask.LayerBudgets;
import org.rpg4j.mask.ParallelIndices;
import org.rpg4j.regrow.LayerInput;
import org.rpg4j.regrow.LayerUpdate;
import org.rpg4j.regrow.TopologyUpdate;
import org.rpg4j.regrow.TopologyUpdateResult;
import org.rpg4j.regrow.UpdateRequest;
import org.rpg4j.schedule.PruningSchedule;
import org.rpg4j.tensor.KeptWeights;

/**
 * The one stateful orchestrator of RPG (Tian et al., "Towards Higher Ranks via Adversarial Weight
 * Pruning", NeurIPS 2023, as its reference code runs it). It holds the masks and tells a framework
 * adapter, iteration by iteration, what to do:
 *
 * <ol>
 *   <li>{@link #isUpdateIteration(long)}: capture the dense (unmasked, batch-mean) gradient of
 *       every prunable tensor, call {@link #updateTopology}, and skip the optimizer step;
 *   <li>{@link #addsRankGradient(long)} (regulariser mode): add {@link #rankStep(Map)}'s gradient
 *       to the gradient before masking it, and take the step;
 *   <li>every iteration: multiply gradients, updates, weights and optimizer state of each tensor
 *       by {@link #mask(String)}.
 * </ol>
 *
 * <p>Weights and gradients are passed as maps from tensor name to arrays of the tensor's logical
 * shape (views into the framework's parameters are fine; weights are modified in place by
 * {@link #initialise(Map)} and {@link #updateTopology}). Everything random derives from the seed
 * and the update index, so {@link #state()} plus the iteration count is all a resumed run needs.
 *
 * <p>Memory: besides the masks (one boolean and one ND4J array per tensor), a pruner holds one float
 * copy of the weights and one of the dense gradients, the buffers each topology update reads them
 * into (so an update does not allocate them: 200 MB for 25.5 M weights).
 *
 * <p>The configuration holds the derived schedule; {@link TopologyUpdate} does the update on one
 * {@link UpdateRequest}; the adapters from name-keyed maps live in package-private helpers
 * ({@code TensorList}, {@code UpdateInputs}, {@code RankLossLayers}, {@code UpdateLog}).
 */
public final class Pruner {
    private final PruningConfig config;
    private final TensorList tensors;
    private final RankLossLayers rankLayers;
    private final MaskSet masks;
    private final int[] lastK;
    private final UpdateBuffers buffers;
    private UpdateSummary lastUpdate;

    private Pruner(PruningConfig config, TensorList tensors, MaskSet masks, int[] lastK) {
        this.config = config;
        this.tensors = tensors;
        this.rankLayers = new RankLossLayers(config.rankLoss(), tensors);
        this.masks = masks;
        this.lastK = lastK;
        this.buffers = new UpdateBuffers(tensors);
    }

    /**
     * @param config the run's configuration
     * @param tensors the prunable tensors, in the order of the global concatenation; not empty, unique names
     * @return a pruner whose masks keep every weight (call {@link #initialise(Map)} next)
     * @throws IllegalArgumentException if an argument is null, the list is empty or names repeat
     */
    public static Pruner create(PruningConfig config, List<PrunableTensor> tensors) {
        Checks.notNull("config", config);
        TensorList list = TensorList.of(tensors);
        int[] lastK = new int[list.size()];
        Arrays.fill(lastK, -1);
        return new Pruner(config, list, MaskSet.allKept(list.list()), lastK);
    }

    /**
     * @param config the configuration of the saved run
     * @param tensors the same tensors, in the same order, as when the state was saved
     * @param state a state from {@link #state()}
     * @return a pruner that continues the saved run exactly
     * @throws IllegalArgumentException if an argument is null or the state does not fit the tensors
     */
    public static Pruner restore(PruningConfig config, List<PrunableTensor> tensors, PrunerState state) {
        Checks.notNull("config", config);
        TensorList list = TensorList.of(tensors);
        Checks.notNull("state", state);
        state.checkFits(list.list());
        return new Pruner(config, list, new MaskSet(list.list(), state.masks()), state.lastK());
    }

    /**
     * Builds the starting masks: every weight kept, or (for a schedule that starts sparse, such as
     * CONSTANT) a magnitude prune to the initial density; zeroes the masked weights.
     *
     * @param weights name to weights; modified in place
     */
    public void initialise(Map<String, INDArray> weights) {
        INDArray[] w = tensors.inOrder("weights", weights);
        double initialDensity = schedule().density(-1);
        if (initialDensity < 1.0) {
            masks.replace(LayerBudgets.keepMasks(config.budget(), TensorList.values(w), tensors.shapes(),
                    initialDensity, tensors.caps()));
        }
        applyMasksInPlace(w);
        UpdateLog.attached(tensors, masks.sparsity());
    }

    /**
     * @param iteration the 0-based training iteration
     * @return true when a topology update runs at the end of this 0-based iteration (capture the dense gradient,
     *     skip the step)
     */
    public boolean isUpdateIteration(long iteration) {
        return schedule().isUpdateIteration(iteration);
    }

    /**
     * @param iteration the 0-based training iteration
     * @return true when the adapter must add the rank gradient to the gradient of this iteration (regulariser mode)
     */
    public boolean addsRankGradient(long iteration) {
        RankLoss r = config.rankLoss();
        return r.enabled() && r.mode() == RankLossMode.REGULARISER && !isUpdateIteration(iteration)
                && (iteration + 1) % r.rankEvery() == 0;
    }

    /**
     * Computes the adversarial rank loss of every rank layer on the current weights, and records
     * each layer's chosen k.
     *
     * @param weights name to weights; not modified
     * @return per-layer losses and gradients, with the reference aggregation (mean over active layers)
     * @throws IllegalArgumentException if a tensor is missing or mis-shaped
     */
    public RankStep rankStep(Map<String, INDArray> weights) {
        return rankStep(tensors.inOrder("weights", weights));
    }

    /**
     * Runs the topology update at the end of {@code iteration}: rank gradient added to the dense
     * gradients of the rank layers, global magnitude prune to the scheduled density (skipped once
     * the target was reached), per-layer drop and regrowth, masked weights set to 0.
     *
     * @param iteration a 0-based iteration for which {@link #isUpdateIteration(long)} is true
     * @param weights name to weights, as they were before this iteration's (skipped) step; modified in place
     * @param denseGradients name to the dense batch-mean loss gradient, captured before masking; not modified
     * @return what the update did
     * @throws IllegalArgumentException if no update is due, a tensor is missing or mis-shaped, or a
     *     weight or gradient is NaN or infinite (the message names the tensor)
     */
    public UpdateSummary updateTopology(long iteration, Map<String, INDArray> weights,
                                        Map<String, INDArray> denseGradients) {
        if (!isUpdateIteration(iteration)) {
            throw new IllegalArgumentException("iteration " + iteration + " is not an update iteration ("
                    + schedule() + ")");
        }
        long start = System.nanoTime();
        INDArray[] w = tensors.inOrder("weights", weights);
        INDArray[] g = tensors.inOrder("denseGradients", denseGradients);
        List<LayerInput> inputs = UpdateInputs.of(tensors, rankLayers, w, g, masks.current(), buffers);
        RankStep rank = config.rankLoss().enabled() ? rankStep(w) : null;
        int r = schedule().cadence().updateIndex(iteration);
        double dropFraction = config.dropFraction().at(iteration);
        OptionalDouble density = r > config.firstUpdateAtTarget() ? OptionalDouble.empty()
                : OptionalDouble.of(schedule().densityAtUpdate(r));
        TopologyUpdateResult result = TopologyUpdate.apply(new UpdateRequest(UpdateInputs.withRankScores(inputs, g,
                rank, buffers), density, dropFraction, config.regrowth().regrowth(), randomFor(r), config.budget()));
        masks.replaceWithOwned(result.newMasks(), result.layers().stream().mapToLong(LayerUpdate::kept).toArray());
        boolean[][] keep = result.weightKeepMasks();
        ParallelIndices.forEach(w.length, i -> KeptWeights.applyInPlace(w[i], inputs.get(i).weights(), keep[i]));
        lastUpdate = new UpdateSummary(iteration, r, density.orElse(1.0 - masks.sparsity()),
                result.stationary() ? -1 : result.thresholdSurvivors(), masks.sparsity(), dropFraction,
                result.totalGrown(), rank == null ? 0.0 : rank.aggregate().meanLoss(),
                rank == null ? 0 : rank.aggregate().activeLayers(),
                rank == null ? Double.NaN : rank.meanTruncationRank(), (System.nanoTime() - start) / 1_000_000);
        UpdateLog.update(lastUpdate, tensors, masks, lastK);
        return lastUpdate;
    }

    /**
     * Multiplies each named array (weights, gradients, optimizer state of a tensor) by its mask.
     *
     * @param arrays name to array of the tensor's logical shape; modified in place
     */
    public void applyMasksInPlace(Map<String, INDArray> arrays) {
        applyMasksInPlace(tensors.inOrder("arrays", arrays));
    }

    /**
     * @param name a tensor name
     * @return the tensor's mask: 1 where a weight is kept, 0 where pruned; shape and data type of the
     *     tensor, C order. Read-only: it is replaced (not modified) by each update.
     * @throws IllegalArgumentException if no tensor has this name
     */
    public INDArray mask(String name) {
        return masks.array(tensors.index(name));
    }

    /** @return a counter that grows each time the masks change (lets adapters refresh cached views) */
    public long maskVersion() {
        return masks.version();
    }

    /** @return fraction of masked weights over all prunable tensors */
    public double sparsity() {
        return masks.sparsity();
    }

    /** @return the last topology update, if any ran since this pruner was created or restored */
    public Optional<UpdateSummary> lastUpdate() {
        return Optional.ofNullable(lastUpdate);
    }

    /** @return the saveable state (masks and last chosen k per tensor) */
    public PrunerState state() {
        return new PrunerState(tensors.names(), masks.all(), lastK.clone());
    }

    /**
     * @param weights name to weights; not modified
     * @return per-layer sparsity, non-zeros, delta-rank and last k, and the global sparsity
     */
    public PruningReport report(Map<String, INDArray> weights) {
        return PruningReport.of(tensors.list(), tensors.inOrder("weights", weights), lastK);
    }

    /** @return the run's configuration */
    public PruningConfig config() {
        return config;
    }

    /** @return the density schedule (the configuration's) */
    public PruningSchedule schedule() {
        return config.pruningSchedule();
    }

    /** @return the tensors in global order */
    public List<PrunableTensor> tensors() {
        return tensors.list();
    }

    private RankStep rankStep(INDArray[] weights) {
        RankStep step = rankLayers.compute(weights);
        for (int i = 0; i < tensors.size(); i++) {
            int index = i;
            step.k(tensors.get(i).name()).ifPresent(k -> lastK[index] = k);
        }
        return step;
    }

    private SplittableRandom randomFor(int updateIndex) {
        return new SplittableRandom(config.seed() ^ (0x9E3779B97F4A7C15L * (updateIndex + 1L)));
    }

    private void applyMasksInPlace(INDArray[] arrays) {
        for (int i = 0; i < arrays.length; i++) {
            arrays[i].muli(masks.array(i).castTo(arrays[i].dataType()));
        }
    }
}
