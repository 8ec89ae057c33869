package org.rpg4j.dl4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rpg4j.dl4j.layers.TestArrays.assertClose;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

/**
 * The fast layers' Java-loop update ({@link HostUpdates}) trains like DL4J's updater ops: the same fast network
 * stepped with {@code rpg4j.update=dl4j} and with the default gives the same parameters and updater state.
 */
class HostUpdatesTest {

    /** Float32 rounding differences (libnd4j may fuse a multiply-add) over a few steps of a 9-layer network. */
    private static final double TOLERANCE = 1e-6;
    private static final int STEPS = 5;

    @AfterEach
    void clearProperty() {
        System.clearProperty(HostUpdates.PROPERTY);
    }

    static Stream<Arguments> updatersAndRegularizations() {
        List<Arguments> cases = new ArrayList<>();
        for (IUpdater updater : List.of(new Sgd(0.1), new Nesterovs(0.05, 0.9), new Adam(0.01))) {
            cases.add(Arguments.of(updater, new L2Regularization(1e-2)));
            cases.add(Arguments.of(updater, new WeightDecay(1e-2, true)));
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("updatersAndRegularizations")
    void javaUpdateEqualsDl4jUpdate(IUpdater updater, Regularization regularization) {
        ComputationGraph dl4jUpdate = network(updater, regularization);
        ComputationGraph javaUpdate = network(updater, regularization);
        javaUpdate.setParams(dl4jUpdate.params());
        DataSet data = TinyNetworks.data(7, 8, DataType.FLOAT);
        INDArray before = dl4jUpdate.params().dup();
        for (int i = 0; i < STEPS; i++) {
            System.setProperty(HostUpdates.PROPERTY, "dl4j");
            dl4jUpdate.fit(data);
            System.setProperty(HostUpdates.PROPERTY, "auto");
            javaUpdate.fit(data);
        }
        assertNotEquals(0.0, before.sub(dl4jUpdate.params()).amaxNumber().doubleValue(), "training moved params");
        assertClose("params", dl4jUpdate.params(), javaUpdate.params(), TOLERANCE);
        INDArray dl4jState = dl4jUpdate.getUpdater().getStateViewArray();
        if (dl4jState != null) {
            assertClose("updater state", dl4jState, javaUpdate.getUpdater().getStateViewArray(), TOLERANCE);
        }
        assertTrue(hostUpdaterBlocks(javaUpdate) > 0, "some blocks run the Java loop");
    }

    @Test
    void updaterBlocksAreThoseOfDl4jLayers() {
        ComputationGraphConfiguration standard = TinyNetworks.residualGraph(WorkspaceMode.ENABLED, DataType.FLOAT,
                new Nesterovs(0.05, 0.9), Activation.RELU, 4);
        ComputationGraph dl4j = new ComputationGraph(standard);
        ComputationGraph fast = new ComputationGraph(FastLayers.withFastLayers(standard));
        dl4j.init();
        fast.init();
        List<UpdaterBlock> dl4jBlocks = dl4j.getUpdater().getUpdaterBlocks();
        List<UpdaterBlock> fastBlocks = fast.getUpdater().getUpdaterBlocks();
        assertEquals(dl4jBlocks.size(), fastBlocks.size(), "blocks");
        for (int i = 0; i < dl4jBlocks.size(); i++) {
            assertEquals(dl4jBlocks.get(i).getParamOffsetStart(), fastBlocks.get(i).getParamOffsetStart());
            assertEquals(dl4jBlocks.get(i).getParamOffsetEnd(), fastBlocks.get(i).getParamOffsetEnd());
        }
        assertTrue(hostUpdaterBlocks(fast) > 0, "some blocks run the Java loop");
    }

    @Test
    void javaVersionsEqualDl4jConfigurationsAndReadTheirSettings() {
        Nesterovs nesterovs = new Nesterovs(0.05, 0.9);
        IUpdater host = HostUpdates.forParam(nesterovs);
        assertInstanceOf(HostUpdaters.HostNesterovs.class, host);
        assertEquals(nesterovs, host);
        assertEquals(host, nesterovs);
        HostUpdaters.HostNesterovsUpdater updater = (HostUpdaters.HostNesterovsUpdater) host
                .instantiate(Nd4j.zeros(DataType.FLOAT, 1, 4), true);
        nesterovs.setLearningRate(0.5);
        // one step from zero velocity: v = -lr g, update = -(mu + 1) v = (mu + 1) lr g = 1.9 * 0.5 * 2 = 1.9
        INDArray gradient = Nd4j.valueArrayOf(new long[] {1, 4}, 2.0f);
        updater.applyUpdater(gradient, 0, 0);
        assertClose("update with the changed rate", Nd4j.valueArrayOf(new long[] {1, 4}, 1.9f), gradient, 1e-6);
        List<Regularization> regularizations = List.of(new L2Regularization(1e-3), new WeightDecay(1e-3, false));
        List<Regularization> hostRegularizations = HostUpdates.forParam(regularizations);
        assertInstanceOf(HostRegularizations.HostL2.class, hostRegularizations.get(0));
        assertInstanceOf(HostRegularizations.HostWeightDecay.class, hostRegularizations.get(1));
        assertEquals(regularizations, hostRegularizations);
    }

    @Test
    void propertyWithAnotherValueIsRejected() {
        System.setProperty(HostUpdates.PROPERTY, "fast");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, HostUpdates::enabled);
        assertTrue(e.getMessage().contains("rpg4j.update") && e.getMessage().contains("fast"), e.getMessage());
    }

    private static ComputationGraph network(IUpdater updater, Regularization regularization) {
        ComputationGraphConfiguration conf = FastLayers.withFastLayers(TinyNetworks.residualGraph(
                WorkspaceMode.ENABLED, DataType.FLOAT, updater.clone(), Activation.RELU, 4));
        for (var vertex : conf.getVertices().values()) {
            if (vertex instanceof LayerVertex v && v.getLayerConf().getLayer() instanceof BaseLayer layer) {
                layer.setRegularization(List.of(regularization.clone()));
            }
        }
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    private static long hostUpdaterBlocks(ComputationGraph net) {
        return net.getUpdater().getUpdaterBlocks().stream()
                .filter(b -> b.getGradientUpdater() instanceof HostUpdaters.HostNesterovsUpdater
                        || b.getGradientUpdater() instanceof HostUpdaters.HostAdamUpdater
                        || b.getGradientUpdater() instanceof HostUpdaters.HostSgdUpdater)
                .count();
    }
}
