package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.rpg4j.prune.PruningConfig;

/** attach / finish / wrong call orders / listeners replaced by the user. */
class LifecycleTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void finishLeavesAPlainNetworkThatSavesLoadsAndPredictsIdentically(Nets.Kind kind) throws IOException {
        Model net = Nets.small(kind, new Nesterovs(0.05, 0.9), Nets.Decay.L2, true);
        Pruning pruning = Dl4jPruning.attach(net, SaveRestoreTest.config());
        List<DataSet> data = Nets.data(SaveRestoreTest.ITERATIONS, 4, 8);
        data.forEach(d -> Nets.fit(net, d));
        pruning.finish();
        assertTrue(pruning.isFinished());

        String json = net instanceof MultiLayerNetwork m ? m.getLayerWiseConfigurations().toJson()
                : ((ComputationGraph) net).getConfiguration().toJson();
        assertFalse(json.contains("org.rpg4j"), "the finished configuration must not name rpg4j classes");
        assertTrue(json.contains("L2Regularization"), "the user's own regularization stays");
        assertFalse(pruning.runtime().network().listeners().contains(pruning.runtime().listener()));

        File file = dir.resolve("finished.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        Model loaded = kind == Nets.Kind.MLN ? ModelSerializer.restoreMultiLayerNetwork(file, true)
                : ModelSerializer.restoreComputationGraph(file, true);
        INDArray x = data.get(0).getFeatures();
        assertArrayEquals(output(net, x).data().asFloat(), output(loaded, x).data().asFloat());
        assertArrayEquals(net.params().dup().data().asFloat(), loaded.params().dup().data().asFloat());
        assertTrue(pruning.report().globalSparsity() >= 0.8 - 1e-3, pruning.report().toString());

        assertThrows(IllegalStateException.class, pruning::finish);
        assertThrows(IllegalStateException.class, () -> pruning.save(dir.resolve("again.zip").toFile()));
        Nets.fit(net, data.get(0));
        Dl4jPruning.attach(net, SaveRestoreTest.config());
    }

    /**
     * Masking multiplies by 0, which leaves -0.0 (sign bit set) wherever the weight was negative; finish()
     * must leave every pruned weight as +0.0 (raw bits 0). The run is checked to hold -0.0 before finish,
     * so the assertion after it is not vacuous.
     */
    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void finishStoresEveryPrunedWeightAsPositiveZero(Nets.Kind kind) {
        Model net = Nets.small(kind, new Nesterovs(0.05, 0.9), Nets.Decay.L2, true);
        Pruning pruning = Dl4jPruning.attach(net, SaveRestoreTest.config());
        Nets.data(SaveRestoreTest.ITERATIONS, 4, 8).forEach(d -> Nets.fit(net, d));
        Map<String, INDArray> weights = pruning.runtime().weights();
        Map<String, float[]> masks = new TreeMap<>();
        weights.keySet().forEach(name -> masks.put(name, pruning.runtime().pruner().mask(name).data().asFloat()));
        assertTrue(negativeZeros(weights, masks) > 0, "the trained run holds -0.0 at pruned positions");

        pruning.finish();

        int pruned = 0;
        for (Map.Entry<String, float[]> entry : masks.entrySet()) {
            float[] w = weights.get(entry.getKey()).dup('c').data().asFloat();
            float[] mask = entry.getValue();
            for (int i = 0; i < w.length; i++) {
                if (mask[i] == 0f) {
                    pruned++;
                    assertEquals(0, Float.floatToRawIntBits(w[i]), entry.getKey() + "[" + i + "]");
                }
            }
        }
        assertTrue(pruned > 0);
    }

    private static int negativeZeros(Map<String, INDArray> weights, Map<String, float[]> masks) {
        int count = 0;
        for (Map.Entry<String, float[]> entry : masks.entrySet()) {
            float[] w = weights.get(entry.getKey()).dup('c').data().asFloat();
            for (int i = 0; i < w.length; i++) {
                count += entry.getValue()[i] == 0f && Float.floatToRawIntBits(w[i]) == 0x80000000 ? 1 : 0;
            }
        }
        return count;
    }

    @Test
    void attachingTwiceOrToAnUnboundSavedNetworkFails() throws IOException {
        Model net = Nets.small(Nets.Kind.MLN, new Adam(0.01), Nets.Decay.NONE, false);
        Pruning pruning = Dl4jPruning.attach(net, SaveRestoreTest.config());
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> Dl4jPruning.attach(net, SaveRestoreTest.config()));
        assertTrue(twice.getMessage().contains("already attached"), twice.getMessage());

        File file = dir.resolve("run.zip").toFile();
        pruning.save(file);
        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(file, true);
        IllegalStateException unbound = assertThrows(IllegalStateException.class,
                () -> Dl4jPruning.attach(loaded, SaveRestoreTest.config()));
        assertTrue(unbound.getMessage().contains("restore"), unbound.getMessage());
        Pruning restored = Dl4jPruning.restore(loaded, file, PrunableLayers.defaults());
        assertEquals(pruning.tensors(), restored.tensors());
        assertThrows(IllegalStateException.class, () -> Dl4jPruning.restore(loaded, file, PrunableLayers.defaults()));
    }

    @Test
    void badArgumentsAreNamed() {
        PruningConfig config = SaveRestoreTest.config();
        IllegalArgumentException nullNet = assertThrows(IllegalArgumentException.class,
                () -> Dl4jPruning.attach(null, config));
        assertTrue(nullNet.getMessage().startsWith("net must be"), nullNet.getMessage());
        Model net = Nets.small(Nets.Kind.MLN, new Adam(0.01), Nets.Decay.NONE, false);
        IllegalArgumentException nullConfig = assertThrows(IllegalArgumentException.class,
                () -> Dl4jPruning.attach(net, null));
        assertTrue(nullConfig.getMessage().startsWith("config"), nullConfig.getMessage());
        MultiLayerConfiguration conf = ((MultiLayerNetwork) net).getLayerWiseConfigurations().clone();
        IllegalStateException notInit = assertThrows(IllegalStateException.class,
                () -> Dl4jPruning.attach(new MultiLayerNetwork(conf), config));
        assertTrue(notInit.getMessage().contains("init()"), notInit.getMessage());
    }

    @Test
    void listenerDroppedBySetListenersIsPutBackAndPruningContinues() {
        MultiLayerNetwork net = Nets.smallMln(new Adam(0.01), Nets.Decay.NONE, false);
        Pruning pruning = Dl4jPruning.attach(net, SaveRestoreTest.config());
        net.setListeners(new ScoreIterationListener(100));
        Nets.data(SaveRestoreTest.ITERATIONS, 4, 4).forEach(net::fit);
        assertEquals(0.8, pruning.sparsity(), 0.01);
        assertEquals(2, net.getListeners().size());
        Inspect.assertPrunedAreZero(pruning, "after listeners were replaced");
    }

    @Test
    void listenerDroppedJustBeforeAnUpdateIterationFailsLoudly() {
        MultiLayerNetwork net = Nets.smallMln(new Adam(0.01), Nets.Decay.NONE, false);
        Dl4jPruning.attach(net, SaveRestoreTest.config());
        List<DataSet> data = Nets.data(2, 4, 4);
        net.fit(data.get(0));
        net.setListeners(new ScoreIterationListener(100));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.fit(data.get(1)));
        assertTrue(e.getMessage().contains("addListeners"), e.getMessage());
    }

    private static INDArray output(Model net, INDArray x) {
        return net instanceof MultiLayerNetwork m ? m.output(x) : ((ComputationGraph) net).outputSingle(x);
    }
}
