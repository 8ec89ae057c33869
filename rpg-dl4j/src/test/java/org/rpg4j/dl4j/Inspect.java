package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.prune.PrunableTensor;

/**
 * Test-side inspection of a pruned network, independent of the adapter's own views: weights come
 * from the layers' parameter tables, updater state from the flat state view and DL4J's block layout
 * (state {@code k} of block entry {@code j} sits at {@code updaterViewOffsetStart + k * blockLength + j}).
 */
final class Inspect {
    private Inspect() {}

    static int iterationCount(Model net) {
        return net instanceof MultiLayerNetwork m ? m.getIterationCount() : ((ComputationGraph) net)
                .getIterationCount();
    }

    static Layer layer(Model net, String layerName) {
        return net instanceof MultiLayerNetwork m ? m.getLayer(layerName) : ((ComputationGraph) net).getLayer(
                layerName);
    }

    static INDArray param(Model net, String tensorName) {
        String[] parts = tensorName.split("/");
        return layer(net, parts[0]).getParam(parts[1]);
    }

    static BaseMultiLayerUpdater<?> updater(Model net) {
        return net instanceof MultiLayerNetwork m ? (BaseMultiLayerUpdater<?>) m.getUpdater()
                : ((ComputationGraph) net).getUpdater();
    }

    /** @return the mask of a tensor flattened in the parameter's storage order (true = kept) */
    static boolean[] maskInStorageOrder(Pruning pruning, String tensorName) {
        INDArray w = param(pruning.network(), tensorName);
        float[] m = pruning.mask(tensorName).dup(w.ordering()).data().asFloat();
        boolean[] kept = new boolean[m.length];
        for (int i = 0; i < m.length; i++) {
            kept[i] = m[i] != 0f;
        }
        return kept;
    }

    static float[] valuesInStorageOrder(INDArray a) {
        return a.dup(a.ordering()).data().asFloat();
    }

    /** @return offset of the tensor's first weight in the flat parameter vector */
    static long flatOffset(Model net, String tensorName) {
        INDArray w = param(net, tensorName);
        return w.offset() - net.params().offset();
    }

    /** @return the updater state entries of the tensor, one array per state kind, in storage order */
    static List<float[]> state(Model net, String tensorName) {
        BaseMultiLayerUpdater<?> updater = updater(net);
        INDArray view = updater.getStateViewArray();
        List<float[]> out = new ArrayList<>();
        if (view == null) {
            return out;
        }
        float[] all = view.data().asFloat();
        long offset = flatOffset(net, tensorName);
        long length = param(net, tensorName).length();
        for (UpdaterBlock b : updater.getUpdaterBlocks()) {
            long blockLength = b.getParamOffsetEnd() - b.getParamOffsetStart();
            if (offset >= b.getParamOffsetStart() && offset + length <= b.getParamOffsetEnd()) {
                long states = (b.getUpdaterViewOffsetEnd() - b.getUpdaterViewOffsetStart()) / blockLength;
                for (int k = 0; k < states; k++) {
                    float[] s = new float[(int) length];
                    long start = b.getUpdaterViewOffsetStart() + k * blockLength + offset - b.getParamOffsetStart();
                    for (int j = 0; j < length; j++) {
                        s[j] = all[(int) (start + j)];
                    }
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** Asserts that every masked weight is exactly 0.0 and its updater state is exactly 0. */
    static void assertPrunedAreZero(Pruning pruning, String when) {
        for (PrunableTensor t : pruning.tensors()) {
            boolean[] kept = maskInStorageOrder(pruning, t.name());
            float[] w = valuesInStorageOrder(param(pruning.network(), t.name()));
            assertEquals(kept.length, w.length);
            for (int i = 0; i < w.length; i++) {
                if (!kept[i] && w[i] != 0.0f) {
                    fail(when + ": pruned weight " + t.name() + "[" + i + "] is " + w[i]);
                }
            }
            for (float[] s : state(pruning.network(), t.name())) {
                for (int i = 0; i < s.length; i++) {
                    if (!kept[i] && s[i] != 0.0f) {
                        fail(when + ": updater state of pruned " + t.name() + "[" + i + "] is " + s[i]);
                    }
                }
            }
        }
    }

    /** @return number of masked weights over all tensors */
    static long prunedCount(Pruning pruning) {
        long n = 0;
        for (PrunableTensor t : pruning.tensors()) {
            for (boolean k : maskInStorageOrder(pruning, t.name())) {
                n += k ? 0 : 1;
            }
        }
        assertTrue(n >= 0);
        return n;
    }
}
