package org.rpg4j.dl4j;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.NoOpUpdater;

/**
 * Makes DL4J's optimizer step a no-op at a topology-update iteration, as the reference skips
 * {@code optimizer.step()} there: the trainable parameters and the whole updater state are copied
 * before the updater runs and copied back after {@code params -= update}. Parameters whose updater
 * is {@link NoOpUpdater} (batch-norm running mean and variance, which DL4J updates through the
 * gradient) are not restored: their update comes from the forward pass, which the reference also
 * keeps. The copies are allocated once (outside workspaces) and reused.
 */
final class SkippedStep {
    private final BaseMultiLayerUpdater<?> updater;
    private final INDArray params;
    private final INDArray paramsCopy;
    private final List<INDArray[]> restoredRanges = new ArrayList<>();
    private final INDArray state;
    private final INDArray stateCopy;
    private long snapshotIteration = Long.MIN_VALUE;

    /**
     * @param flatParams the network's flat parameter vector
     * @param updater the network's updater
     */
    SkippedStep(INDArray flatParams, BaseMultiLayerUpdater<?> updater) {
        this.updater = updater;
        this.params = flatParams;
        this.paramsCopy = Nd4j.createUninitializedDetached(flatParams.dataType(), flatParams.length());
        INDArray s = updater.getStateViewArray();
        this.state = s == null || s.length() == 0 ? null : s.reshape(s.ordering(), new long[] {s.length()});
        this.stateCopy = state == null ? null : Nd4j.createUninitializedDetached(state.dataType(), state.length());
        long rangeStart = -1;
        long rangeEnd = -1;
        for (UpdaterBlock block : updater.getUpdaterBlocks()) {
            boolean trainable = !(block.getGradientUpdater() instanceof NoOpUpdater);
            if (trainable && block.getParamOffsetStart() == rangeEnd) {
                rangeEnd = block.getParamOffsetEnd();
            } else if (trainable) {
                addRange(rangeStart, rangeEnd);
                rangeStart = block.getParamOffsetStart();
                rangeEnd = block.getParamOffsetEnd();
            }
        }
        addRange(rangeStart, rangeEnd);
    }

    private void addRange(long start, long end) {
        if (end > start && start >= 0) {
            restoredRanges.add(new INDArray[] {params.get(NDArrayIndex.interval(start, end)),
                    paramsCopy.get(NDArrayIndex.interval(start, end))});
        }
    }

    /** @return the updater this step was built for */
    BaseMultiLayerUpdater<?> updater() {
        return updater;
    }

    /** Copies parameters and updater state; call before the updater runs on {@code iteration}. */
    void snapshot(long iteration) {
        paramsCopy.assign(params);
        if (state != null) {
            stateCopy.assign(state);
        }
        snapshotIteration = iteration;
    }

    /**
     * Puts back the trainable parameters and the updater state copied at {@code iteration}.
     *
     * @throws IllegalStateException if no snapshot was taken at that iteration
     */
    void restore(long iteration) {
        if (snapshotIteration != iteration) {
            throw new IllegalStateException("rpg4j has no snapshot of iteration " + iteration + " to undo its "
                    + "optimizer step (last snapshot: " + snapshotIteration + "); was the rpg4j training listener "
                    + "removed from the network?");
        }
        for (INDArray[] range : restoredRanges) {
            range[0].assign(range[1]);
        }
        if (state != null) {
            state.assign(stateCopy);
        }
        snapshotIteration = Long.MIN_VALUE;
    }
}
