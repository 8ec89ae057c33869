package org.rpg4j.dl4j.parallel;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.rpg4j.dl4j.DetachedRun;
import org.rpg4j.dl4j.ReplicaTensors;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.UpdateSummary;

/**
 * The handle of a pruning run on a {@link ParallelWrapper} (from {@link ParallelPruning}). Train
 * through {@link #fit(DataSetIterator)}, which calls the wrapper's {@code fit} and completes a
 * topology update due after its last round; save between fits. Not thread-safe (call it from the
 * thread that would call the wrapper's {@code fit}).
 */
public final class ParallelRun {
    private final ParallelWrapper wrapper;
    private final DetachedRun run;
    private final RoundBoundary boundary;
    private final ReplicaListener listener;
    private boolean finished;

    ParallelRun(ParallelWrapper wrapper, DetachedRun run, RoundBoundary boundary, ReplicaListener listener) {
        this.wrapper = wrapper;
        this.run = run;
        this.boundary = boundary;
        this.listener = listener;
    }

    /**
     * Trains one pass over {@code data} with the wrapper (one round = one minibatch per worker),
     * pruning as configured. Every replica's pruned weights are exactly 0.0 after every iteration;
     * when this returns, the root network holds the run's state.
     *
     * @param data the training data
     * @throws IllegalArgumentException if {@code data} is null
     * @throws IllegalStateException if the run is finished
     */
    public void fit(DataSetIterator data) {
        betweenFitBoundaries(data, () -> wrapper.fit(data));
    }

    /**
     * Same as {@link #fit(DataSetIterator)} for multi-input data (ComputationGraph).
     *
     * @param data the training data
     * @throws IllegalArgumentException if {@code data} is null
     * @throws IllegalStateException if the run is finished
     */
    public void fit(MultiDataSetIterator data) {
        betweenFitBoundaries(data, () -> wrapper.fit(data));
    }

    /** Checks the data and the run, then runs one ParallelWrapper fit inside the fit-start/fit-end boundary. */
    private void betweenFitBoundaries(Object data, Runnable fit) {
        requireNonNull(data);
        requireActive();
        boundary.startFit();
        try {
            fit.run();
        } finally {
            boundary.endFit();
        }
    }

    /**
     * Saves the root network, its updater state and the pruning state (the archive of
     * {@code Pruning.save}); {@link ParallelPruning#restore} or {@code Dl4jPruning.restore} continues it.
     *
     * @param file the model zip to write
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if {@code file} is null
     */
    public void save(File file) throws IOException {
        run.save(file, true);
    }

    /** @return the root network, the one the wrapper was built on */
    public Model network() {
        return run.network();
    }

    /** @return the pruned tensors in flat-parameter order; names are {@code layerName + "/" + paramKey} */
    public List<PrunableTensor> tensors() {
        return run.pruner().tensors();
    }

    /**
     * @param tensorName a name from {@link #tensors()}
     * @return the tensor's current mask (1 kept, 0 pruned), logical shape, C order; read-only
     * @throws IllegalArgumentException if no tensor has that name
     */
    public INDArray mask(String tensorName) {
        return run.pruner().mask(tensorName);
    }

    /** @return fraction of masked weights over all pruned tensors, in [0, 1] */
    public double sparsity() {
        return run.pruner().sparsity();
    }

    /** @return pruning iterations completed (rounds trained since attach) */
    public long iteration() {
        return run.nextIteration();
    }

    /** @return the last topology update, if one ran */
    public Optional<UpdateSummary> lastUpdate() {
        return boundary.lastUpdate();
    }

    /** @return the time pruning took on the wrapper's main thread between rounds so far */
    public RoundCostSummary costs() {
        return boundary.costs().summary();
    }

    /** @return the root network's tensors (weights views and checks such as {@code prunedNonZero}) */
    public ReplicaTensors rootTensors() {
        return boundary.replicas().root();
    }

    /** @return the replicas of the current fit (for checks on the replicas' own threads) */
    Replicas replicas() {
        return boundary.replicas();
    }

    /** @return the underlying run (pruner, configuration) */
    public DetachedRun detachedRun() {
        return run;
    }

    /**
     * Ends the run: masked weights and their updater state are zero on the root, rpg4j's listener and
     * parameter supplier leave the wrapper and the root. The wrapper then trains dense.
     *
     * @throws IllegalStateException if already finished
     */
    public void finish() {
        requireActive();
        boundary.replicas().root().maskWeightsAndState();
        wrapper.getListeners().remove(listener);
        wrapper.setModelParamsSupplier(null);
        Model root = run.network();
        java.util.Collection<org.deeplearning4j.optimize.api.TrainingListener> current = root instanceof org.deeplearning4j.nn.multilayer.MultiLayerNetwork m
                ? m.getListeners()
                : ((org.deeplearning4j.nn.graph.ComputationGraph) root).getListeners();
        List<org.deeplearning4j.optimize.api.TrainingListener> kept = new java.util.ArrayList<>(
                current == null ? List.of() : current);
        kept.remove(listener);
        root.setListeners(kept);
        finished = true;
    }

    private void requireActive() {
        if (finished) {
            throw new IllegalStateException("this ParallelRun is finished: attach again to prune further");
        }
    }

    private static void requireNonNull(Object data) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
    }
}
