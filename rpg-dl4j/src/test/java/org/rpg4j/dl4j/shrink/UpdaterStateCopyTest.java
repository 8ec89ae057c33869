package org.rpg4j.dl4j.shrink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.structured.ChannelGroup;
import org.rpg4j.structured.KeepSelection;

/**
 * A network whose removed channels are masked (filter, bias, batch-norm scale and shift all 0) and its
 * shrunk copy take the same next step on every kept weight when the updater state is copied, and a
 * different one when it is fresh.
 */
class UpdaterStateCopyTest {
    /** Float32 steps of two networks computing the same sums in another order. */
    private static final double STEP_TOLERANCE = 1e-5;
    /** Conv "layer0" (W [8, 2, 3, 3]) loses channels 1, 4 and 6. */
    private static final int[] REMOVED = {1, 4, 6};

    static Stream<IUpdater> updaters() {
        return Stream.of(new Nesterovs(0.05, 0.9), new Adam(0.01), new AMSGrad(0.01), new RmsProp(0.01),
                new AdaGrad(0.05));
    }

    private static MultiLayerNetwork net(IUpdater updater) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.FLOAT).updater(updater).convolutionMode(ConvolutionMode.Truncate)
                .activation(Activation.RELU).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(6, 6, 2)).build());
        net.init();
        return net;
    }

    private static DataSet batch(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 8, 3);
        for (int i = 0; i < 8; i++) {
            labels.putScalar(i, (i + seed) % 3, 1.0);
        }
        return new DataSet(Nd4j.randn(DataType.FLOAT, 8, 2, 6, 6), labels);
    }

    private static void mask(MultiLayerNetwork net) {
        for (int c : REMOVED) {
            net.getLayer(0).getParam("W").get(org.nd4j.linalg.indexing.NDArrayIndex.point(c)).assign(0);
            net.getLayer(0).getParam("b").putScalar(c, 0.0);
            net.getLayer(1).getParam("gamma").putScalar(c, 0.0);
            net.getLayer(1).getParam("beta").putScalar(c, 0.0);
        }
    }

    /** @return the largest difference between a kept weight after the next step in the two networks */
    private static double nextStepDifference(IUpdater updater, UpdaterStatePolicy policy) {
        MultiLayerNetwork net = net(updater);
        for (int i = 0; i < 3; i++) {
            net.fit(batch(i));
        }
        mask(net);
        ChannelDependencies deps = ChannelDependencies.analyse(net);
        ChannelGroup conv0 = deps.groups().stream().filter(g -> g.producers().contains("layer0")).findFirst()
                .orElseThrow();
        boolean[] keepConv0 = new boolean[8];
        java.util.Arrays.fill(keepConv0, true);
        for (int c : REMOVED) {
            keepConv0[c] = false;
        }
        KeepSelection selection = KeepSelection.keepAll(deps.groups()).with(conv0.id(), keepConv0);
        MultiLayerNetwork shrunk = (MultiLayerNetwork) NetworkShrinker.shrink(deps, selection, policy).network();
        assertEquals(5, shrunk.getLayer(0).getParam("W").size(0));
        boolean[][] keep = deps.keepMasks(selection);
        DataSet next = batch(7);
        net.fit(next);
        shrunk.fit(next);
        double worst = 0;
        for (int l = 0; l < net.getnLayers(); l++) {
            String name = "layer" + l;
            for (Map.Entry<String, INDArray> e : shrunk.getLayer(l).paramTable().entrySet()) {
                INDArray expected = NetworkShrinker.sliced(deps, keep, name, e.getKey(), net.getLayer(l).getParam(e
                        .getKey()));
                assertArrayEquals(expected.shape(), e.getValue().shape(), name + "/" + e.getKey());
                worst = Math.max(worst, expected.sub(e.getValue()).amaxNumber().doubleValue());
            }
        }
        return worst;
    }

    @ParameterizedTest
    @MethodSource("updaters")
    void copiedStateTakesTheMaskedNetworksNextStep(IUpdater updater) {
        double copied = nextStepDifference(updater, UpdaterStatePolicy.COPY);
        assertTrue(copied <= STEP_TOLERANCE, updater + ": kept weights differ by " + copied + " after one step");
        double fresh = nextStepDifference(updater, UpdaterStatePolicy.FRESH);
        assertTrue(fresh > 100 * STEP_TOLERANCE, updater + ": a fresh updater took the same step (" + fresh
                + "), so the test cannot tell copied state from none");
    }
}
