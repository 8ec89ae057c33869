package org.rpg4j.spark;

import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Zeroes a network's updater state (momentum, Adam moments, ...) where a mask prunes, so that a
 * pruned weight neither moves from stale state nor starts from it when it regrows. Works on the
 * driver's network and on each executor's copy.
 */
final class UpdaterStateMasking {
    private UpdaterStateMasking() {}

    /**
     * @param model the network; its updater state is modified in place (created if absent)
     * @param masks per tensor name (parameter-table key): the mask, 1 kept and 0 pruned, of the
     *     parameter's logical shape
     * @throws IllegalStateException if a tensor straddles two updater blocks or a state array is not
     *     element-aligned with its block
     */
    static void applyInPlace(Model model, Map<String, INDArray> masks) {
        BaseMultiLayerUpdater<?> updater = updater(model);
        if (updater == null || updater.getStateViewArray() == null) {
            return;
        }
        INDArray flatParams = model.params();
        Map<String, INDArray> params = model.paramTable();
        for (Map.Entry<String, INDArray> e : masks.entrySet()) {
            INDArray param = params.get(e.getKey());
            long offset = param.offset() - flatParams.offset();
            // The state is laid out like the flat parameters: the mask in the parameter's storage order.
            INDArray flatMask = Nd4j.toFlattened(param.ordering(), e.getValue().castTo(param.dataType()));
            for (UpdaterBlock block : updater.getUpdaterBlocks()) {
                if (block.getParamOffsetStart() <= offset && offset + param.length() <= block.getParamOffsetEnd()) {
                    maskBlock(block, offset - block.getParamOffsetStart(), flatMask, e.getKey());
                }
            }
        }
    }

    private static void maskBlock(UpdaterBlock block, long start, INDArray flatMask, String name) {
        Map<String, INDArray> state = state(block);
        if (state == null) {
            return;
        }
        long blockLength = (long) block.getParamOffsetEnd() - block.getParamOffsetStart();
        for (Map.Entry<String, INDArray> s : state.entrySet()) {
            INDArray array = s.getValue();
            if (array.length() != blockLength) {
                throw new IllegalStateException("updater state '" + s.getKey() + "' has " + array.length()
                        + " entries for a block of " + blockLength + " parameters: cannot mask tensor '" + name + "'");
            }
            INDArray flat = array.reshape(array.ordering(), new long[] {array.length()});
            flat.get(NDArrayIndex.interval(start, start + flatMask.length())).muli(flatMask.reshape(flatMask.length()));
        }
    }

    @SuppressWarnings("unchecked") // GradientUpdater is a raw type in DL4J
    private static Map<String, INDArray> state(UpdaterBlock block) {
        return block.getGradientUpdater().getState();
    }

    private static BaseMultiLayerUpdater<?> updater(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return (BaseMultiLayerUpdater<?>) net.getUpdater(true);
        }
        if (model instanceof ComputationGraph graph) {
            return graph.getUpdater(true);
        }
        throw new IllegalArgumentException("model must be a MultiLayerNetwork or ComputationGraph, got "
                + model.getClass().getName());
    }
}
