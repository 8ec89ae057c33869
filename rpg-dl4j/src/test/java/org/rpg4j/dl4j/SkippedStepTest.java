package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.NoOpUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;

/**
 * At a topology-update iteration the optimizer step is skipped, as in the reference: every
 * trainable parameter and every updater state entry after the iteration is bit-identical to before
 * it, except pruned weights and their state, which are zero. Batch-norm running statistics (DL4J
 * updates them through a NoOp "gradient") do advance, as PyTorch's running buffers do on that
 * iteration's forward pass.
 */
class SkippedStepTest {

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void stepAtUpdateIterationLeavesParametersAndStateUnchanged(Nets.Kind kind) {
        Model net = Nets.small(kind, new Adam(0.01), Nets.Decay.L2, true);
        PruningConfig config = PruningConfig.builder(0.7, 12).deltaT(3)
                .rankLoss(RankLoss.lambda(1.0)).build();
        Pruning pruning = Dl4jPruning.attach(net, config);
        java.util.Map<String, float[]> seenByPruner = new java.util.HashMap<>();
        pruning.observer((iteration, weights, gradients) -> weights.forEach(
                (name, w) -> seenByPruner.put(name, Inspect.valuesInStorageOrder(w))));
        List<DataSet> data = Nets.data(12, 4, 3);
        int checked = 0;
        for (int i = 0; i < 12; i++) {
            if (!pruning.runtime().pruner().isUpdateIteration(i)) {
                Nets.fit(net, data.get(i));
                continue;
            }
            int[] paramsBefore = bits(net.params().dup().data().asFloat());
            int[] stateBefore = bits(Inspect.updater(net).getStateViewArray().dup().data().asFloat());
            Nets.fit(net, data.get(i));
            int[] paramsAfter = bits(net.params().dup().data().asFloat());
            int[] stateAfter = bits(Inspect.updater(net).getStateViewArray().dup().data().asFloat());
            assertPrunerSawWeightsBeforeTheStep(pruning, paramsBefore, seenByPruner);
            boolean[] prunedParam = prunedPositions(pruning, (int) net.numParams());
            boolean[] runningStats = noOpPositions(Inspect.updater(net), (int) net.numParams());
            boolean statsMoved = false;
            for (int p = 0; p < paramsBefore.length; p++) {
                if (runningStats[p]) {
                    statsMoved |= paramsBefore[p] != paramsAfter[p];
                } else if (prunedParam[p]) {
                    assertEquals(0.0f, Float.intBitsToFloat(paramsAfter[p]), 0.0f, "pruned parameter " + p);
                } else if (isPrunable(pruning, p)) {
                    // kept by the new mask: unchanged, or 0 if it was pruned by this update's threshold and regrown
                    assertTrue(paramsBefore[p] == paramsAfter[p] || Float.intBitsToFloat(paramsAfter[p]) == 0.0f,
                            "kept weight " + p + " moved although the step was skipped");
                } else {
                    assertEquals(paramsBefore[p], paramsAfter[p], "iteration " + i + ": parameter " + p
                            + " moved although the step was skipped");
                }
            }
            assertTrue(statsMoved, "batch-norm running statistics follow the forward pass");
            assertStateUnchangedOrPruned(pruning, stateBefore, stateAfter);
            checked++;
        }
        assertTrue(checked >= 3, "the run must hold several update iterations");
        assertNotEquals(0.0, pruning.sparsity());
    }

    /** The topology update ran on the weights as they were before the iteration, bit for bit. */
    private static void assertPrunerSawWeightsBeforeTheStep(Pruning pruning, int[] paramsBefore,
                                                            java.util.Map<String, float[]> seen) {
        for (PrunableTensor t : pruning.tensors()) {
            int offset = (int) Inspect.flatOffset(pruning.network(), t.name());
            int[] expected = java.util.Arrays.copyOfRange(paramsBefore, offset, offset + (int) t.length());
            assertArrayEquals(expected, bits(seen.get(t.name())), t.name() + " handed to the pruner differs from the "
                    + "weights before the skipped step");
        }
        seen.clear();
    }

    private static boolean isPrunable(Pruning pruning, int p) {
        for (PrunableTensor t : pruning.tensors()) {
            long offset = Inspect.flatOffset(pruning.network(), t.name());
            if (p >= offset && p < offset + t.length()) {
                return true;
            }
        }
        return false;
    }

    /** State of kept entries is bit-identical; state of pruned entries is zero. */
    private static void assertStateUnchangedOrPruned(Pruning pruning, int[] before, int[] after) {
        Model net = pruning.network();
        int[] expected = before.clone();
        for (PrunableTensor t : pruning.tensors()) {
            boolean[] kept = Inspect.maskInStorageOrder(pruning, t.name());
            for (int[] index : stateIndices(net, t.name())) {
                for (int j = 0; j < index.length; j++) {
                    if (!kept[j]) {
                        expected[index[j]] = Float.floatToRawIntBits(0.0f);
                        assertEquals(0.0f, Float.intBitsToFloat(after[index[j]]), 0.0f);
                        after[index[j]] = expected[index[j]];
                    }
                }
            }
        }
        assertArrayEquals(expected, after, "updater state moved although the step was skipped");
    }

    /** Index of each state entry of the tensor in the flat state view, per state kind. */
    private static List<int[]> stateIndices(Model net, String tensorName) {
        BaseMultiLayerUpdater<?> updater = Inspect.updater(net);
        long offset = Inspect.flatOffset(net, tensorName);
        int length = (int) Inspect.param(net, tensorName).length();
        java.util.ArrayList<int[]> out = new java.util.ArrayList<>();
        for (UpdaterBlock b : updater.getUpdaterBlocks()) {
            int blockLength = b.getParamOffsetEnd() - b.getParamOffsetStart();
            if (offset >= b.getParamOffsetStart() && offset + length <= b.getParamOffsetEnd()) {
                int states = (b.getUpdaterViewOffsetEnd() - b.getUpdaterViewOffsetStart()) / blockLength;
                for (int k = 0; k < states; k++) {
                    int[] idx = new int[length];
                    for (int j = 0; j < length; j++) {
                        idx[j] = (int) (b.getUpdaterViewOffsetStart() + (long) k * blockLength + offset
                                - b.getParamOffsetStart() + j);
                    }
                    out.add(idx);
                }
            }
        }
        return out;
    }

    private static boolean[] prunedPositions(Pruning pruning, int numParams) {
        boolean[] pruned = new boolean[numParams];
        for (PrunableTensor t : pruning.tensors()) {
            int offset = (int) Inspect.flatOffset(pruning.network(), t.name());
            boolean[] kept = Inspect.maskInStorageOrder(pruning, t.name());
            for (int j = 0; j < kept.length; j++) {
                pruned[offset + j] = !kept[j];
            }
        }
        return pruned;
    }

    private static boolean[] noOpPositions(BaseMultiLayerUpdater<?> updater, int numParams) {
        boolean[] noOp = new boolean[numParams];
        for (UpdaterBlock b : updater.getUpdaterBlocks()) {
            if (b.getGradientUpdater() instanceof NoOpUpdater) {
                for (int p = b.getParamOffsetStart(); p < b.getParamOffsetEnd(); p++) {
                    noOp[p] = true;
                }
            }
        }
        return noOp;
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
