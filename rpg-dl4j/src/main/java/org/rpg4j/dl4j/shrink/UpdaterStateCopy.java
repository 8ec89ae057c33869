package org.rpg4j.dl4j.shrink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.rpg4j.dl4j.graph.ChannelDependencies;

/**
 * Copies a network's updater state into its shrunk copy. DL4J keeps one flat state array; each
 * updater block (consecutive parameters with one updater configuration, {@code n} values) holds
 * {@code k} components of {@code n} values each ({@code k = stateSize(n) / n}: 1 for Nesterov,
 * AdaGrad and RMSProp, 2 for Adam's {@code m} then {@code v}, 3 for AMSGrad, 0 for SGD), every
 * component laid out like the flattened parameters. Each parameter's segment of each component is
 * read in the parameter's own shape and order, sliced like the parameter, and written into the
 * shrunk network's segment.
 */
final class UpdaterStateCopy {
    private UpdaterStateCopy() {}

    /**
     * @param deps the analysis of the original network (its model is read, not modified)
     * @param keep kept channels per group
     * @param shrunk the new network, whose updater is created if needed and whose state is overwritten
     * @throws IllegalStateException if the two networks' updater configurations differ
     */
    static void copy(ChannelDependencies deps, boolean[][] keep, Model shrunk) {
        Model original = deps.graph().model();
        BaseMultiLayerUpdater<?> from = updater(original, false);
        if (from == null || from.getStateViewArray() == null) {
            return;
        }
        BaseMultiLayerUpdater<?> to = updater(shrunk, true);
        Map<String, List<INDArray>> source = components(from);
        INDArray target = to.getStateViewArray().reshape(to.getStateViewArray().length());
        for (UpdaterBlock block : to.getUpdaterBlocks()) {
            int n = block.getParamOffsetEnd() - block.getParamOffsetStart();
            int k = n == 0 ? 0 : (block.getUpdaterViewOffsetEnd() - block.getUpdaterViewOffsetStart()) / n;
            for (UpdaterBlock.ParamState ps : block.getLayersAndVariablesInBlock()) {
                String layer = ps.getLayer().getConfig().getLayerName();
                List<INDArray> state = source.getOrDefault(layer + "/" + ps.getParamName(), List.of());
                if (state.size() != k) {
                    throw new IllegalStateException("updater of '" + layer + "/" + ps.getParamName() + "' has " + k
                            + " state components in the shrunk network but " + state.size() + " in the original");
                }
                INDArray param = ps.getLayer().paramTable(false).get(ps.getParamName());
                int at = ps.getParamOffsetStart() - block.getParamOffsetStart();
                int length = ps.getParamOffsetEnd() - ps.getParamOffsetStart();
                for (int c = 0; c < k; c++) {
                    long first = block.getUpdaterViewOffsetStart() + (long) c * n + at;
                    INDArray value = NetworkShrinker.sliced(deps, keep, layer, ps.getParamName(), state.get(c));
                    target.get(NDArrayIndex.interval(first, first + length)).assign(Nd4j.toFlattened(param
                            .ordering(), value));
                }
            }
        }
        copyCounts(original, shrunk);
    }

    /** @return per {@code "layer/param"}, each state component as a tensor of the parameter's shape (views) */
    private static Map<String, List<INDArray>> components(BaseMultiLayerUpdater<?> updater) {
        INDArray state = updater.getStateViewArray().reshape(updater.getStateViewArray().length());
        Map<String, List<INDArray>> out = new HashMap<>();
        for (UpdaterBlock block : updater.getUpdaterBlocks()) {
            int n = block.getParamOffsetEnd() - block.getParamOffsetStart();
            int k = n == 0 ? 0 : (block.getUpdaterViewOffsetEnd() - block.getUpdaterViewOffsetStart()) / n;
            for (UpdaterBlock.ParamState ps : block.getLayersAndVariablesInBlock()) {
                Trainable layer = ps.getLayer();
                INDArray param = layer.paramTable(false).get(ps.getParamName());
                int at = ps.getParamOffsetStart() - block.getParamOffsetStart();
                List<INDArray> parts = new ArrayList<>(k);
                for (int c = 0; c < k; c++) {
                    long first = block.getUpdaterViewOffsetStart() + (long) c * n + at;
                    parts.add(state.get(NDArrayIndex.interval(first, first + param.length())).reshape(param
                            .ordering(), param.shape()));
                }
                out.put(layer.getConfig().getLayerName() + "/" + ps.getParamName(), parts);
            }
        }
        return out;
    }

    private static BaseMultiLayerUpdater<?> updater(Model net, boolean create) {
        return net instanceof MultiLayerNetwork m ? (BaseMultiLayerUpdater<?>) m.getUpdater(create)
                : ((ComputationGraph) net).getUpdater(create);
    }

    private static void copyCounts(Model original, Model shrunk) {
        if (original instanceof MultiLayerNetwork m) {
            ((MultiLayerNetwork) shrunk).getLayerWiseConfigurations().setIterationCount(m.getLayerWiseConfigurations()
                    .getIterationCount());
            ((MultiLayerNetwork) shrunk).getLayerWiseConfigurations().setEpochCount(m.getLayerWiseConfigurations()
                    .getEpochCount());
        } else {
            ComputationGraph g = (ComputationGraph) original;
            ((ComputationGraph) shrunk).getConfiguration().setIterationCount(g.getConfiguration().getIterationCount());
            ((ComputationGraph) shrunk).getConfiguration().setEpochCount(g.getConfiguration().getEpochCount());
        }
    }
}
