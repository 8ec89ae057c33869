package org.rpg4j.dl4j.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * DL4J's finite-difference gradient check, in double precision, on tiny networks made of the fast
 * layers (tanh activations: smooth, as the check requires). The batch-norm running statistics are
 * excluded: they are not trained, and their "gradient" is the running-average update.
 */
class FastLayersGradientCheckTest {

    /** Central difference step. */
    private static final double EPSILON = 1e-6;
    /** Maximum relative error between analytic and numerical gradients. */
    private static final double MAX_RELATIVE_ERROR = 1e-5;
    /** Absolute differences below this pass regardless of the relative error. */
    private static final double MIN_ABSOLUTE_ERROR = 1e-9;
    /** Entries checked per parameter array (a seeded subset keeps the test to seconds). */
    private static final int PER_PARAM = 12;

    /** Channels inside the tiny networks: 2 keeps the graph check (every parameter) to seconds. */
    private static final int WIDTH = 2;

    private static DataType previousDefault;
    private static DataType previousFloatingDefault;

    @BeforeAll
    static void useDoublePrecision() {
        previousDefault = Nd4j.dataType();
        previousFloatingDefault = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restorePrecision() {
        Nd4j.setDefaultDataTypes(previousDefault, previousFloatingDefault);
    }

    @Test
    void residualGraphPassesGradientCheck() {
        ComputationGraph net = new ComputationGraph(FastLayers.withFastLayers(TinyNetworks.residualGraph(
                WorkspaceMode.ENABLED, DataType.DOUBLE, new NoOp(), Activation.TANH, WIDTH)));
        net.init();
        randomizeBatchNorm(net.paramTable());
        DataSet data = TinyNetworks.data(7, 3, DataType.DOUBLE);
        boolean passed = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(new INDArray[] {data.getFeatures()}).labels(new INDArray[] {data.getLabels()})
                .epsilon(EPSILON).maxRelError(MAX_RELATIVE_ERROR).minAbsoluteError(MIN_ABSOLUTE_ERROR)
                .subset(true).maxPerParam(PER_PARAM).excludeParams(runningStatistics(net.paramTable())));
        assertTrue(passed, "gradient check of the residual graph");
    }

    @Test
    void identityBlockWithSharedGradientCopyPassesGradientCheck() {
        ComputationGraph net = new ComputationGraph(FastLayers.withFastLayers(TinyNetworks.identityBlockGraph(
                WorkspaceMode.ENABLED, DataType.DOUBLE, new NoOp(), Activation.TANH, WIDTH, false)));
        net.init();
        assertTrue(((FastElementWiseVertexImpl) net.getVertex("add")).sharesGradient(), "add shares its copy");
        randomizeBatchNorm(net.paramTable());
        DataSet data = TinyNetworks.data(10, 3, DataType.DOUBLE);
        boolean passed = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(new INDArray[] {data.getFeatures()}).labels(new INDArray[] {data.getLabels()})
                .epsilon(EPSILON).maxRelError(MAX_RELATIVE_ERROR).minAbsoluteError(MIN_ABSOLUTE_ERROR)
                .subset(true).maxPerParam(PER_PARAM).excludeParams(runningStatistics(net.paramTable())));
        assertTrue(passed, "gradient check of the identity block");
    }

    @Test
    void layerStackPassesGradientCheck() {
        MultiLayerNetwork net = new MultiLayerNetwork(FastLayers.withFastLayers(TinyNetworks.stack(
                WorkspaceMode.NONE, DataType.DOUBLE, new NoOp(), Activation.TANH, WIDTH)));
        net.init();
        randomizeBatchNorm(net.paramTable());
        DataSet data = TinyNetworks.data(8, 3, DataType.DOUBLE);
        boolean passed = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
                .input(data.getFeatures()).labels(data.getLabels())
                .epsilon(EPSILON).maxRelError(MAX_RELATIVE_ERROR).minAbsoluteError(MIN_ABSOLUTE_ERROR)
                .subset(true).maxPerParam(PER_PARAM).excludeParams(runningStatistics(net.paramTable())));
        assertTrue(passed, "gradient check of the layer stack");
    }

    /** gamma and beta away from 1 and 0, so that their gradients are not special cases. */
    private static void randomizeBatchNorm(Map<String, INDArray> params) {
        Nd4j.getRandom().setSeed(9);
        params.forEach((key, value) -> {
            if (key.endsWith("_gamma")) {
                value.assign(Nd4j.rand(DataType.DOUBLE, value.shape()).addi(0.5));
            } else if (key.endsWith("_beta")) {
                value.assign(Nd4j.randn(DataType.DOUBLE, value.shape()).muli(0.3));
            }
        });
    }

    private static Set<String> runningStatistics(Map<String, INDArray> params) {
        Set<String> keys = new HashSet<>();
        for (String key : params.keySet()) {
            if (key.endsWith("_mean") || key.endsWith("_var") || key.endsWith("_log10stdev")) {
                keys.add(key);
            }
        }
        return keys;
    }
}
