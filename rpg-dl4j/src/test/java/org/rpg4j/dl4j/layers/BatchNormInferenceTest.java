package org.rpg4j.dl4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rpg4j.dl4j.layers.TestArrays.assertClose;
import static org.rpg4j.dl4j.layers.TestArrays.gaussian;
import static org.rpg4j.dl4j.layers.TestArrays.inference;
import static org.rpg4j.dl4j.layers.TestArrays.maxDifference;

import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The inference pass of {@link FastBatchNormalizationImpl} with its cached scale and shift
 * ({@link BatchNormInference}): DL4J's outputs, a cache hit when nothing changed, a recomputation after every
 * kind of change of every parameter, and after training steps.
 */
class BatchNormInferenceTest {

    /** Against DL4J's layer: float32 per-element affine maps computed in a different order, 1e-5 of the largest value. */
    private static final double TOLERANCE = 1e-5;
    private static final int CHANNELS = 4;

    /**
     * @param name description
     * @param useLogStd running statistic log10 std instead of variance
     * @param lockGammaBeta gamma 2 and beta 0.5 fixed
     * @param batch images of {@code [4, 5, 6]}; batch 600 (72,000 elements) is above
     *     {@link BatchNormInference#SEQUENTIAL_ELEMENTS} (65,536), so it takes the parallel pass
     */
    record Case(String name, boolean useLogStd, boolean lockGammaBeta, int batch) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(new Case("variance, batch 1", false, false, 1), new Case("log10 std, batch 3", true, false, 3),
                new Case("locked gamma and beta, batch 2", true, true, 2),
                new Case("variance, batch 600 (parallel pass)", false, false, 600));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyParameterChangeIsSeenAndNothingElseRecomputes(Case c) {
        MultiLayerNetwork standard = network(configure(new BatchNormalization.Builder(), c).build());
        MultiLayerNetwork fast = network(configure(new FastBatchNormalization.Builder(), c).build());
        randomizeParams(standard, c, 83);
        fast.setParams(standard.params());
        Layer layer = fast.getLayer(0);
        INDArray x = gaussian(81, c.batch(), CHANNELS, 5, 6).muli(2.0).addi(1.0);
        INDArray xCopy = x.dup();

        INDArray first = inference(layer, x);
        assertClose("output against DL4J", inference(standard.getLayer(0), x), first, TOLERANCE);
        assertClose("same output again", first, inference(layer, x), 0.0);
        assertEquals(1, cache(layer).computations(), "unchanged parameters: scale and shift reused");
        assertClose("input unchanged", xCopy, x, 0.0);

        long expected = 1;
        for (String key : List.copyOf(layer.paramTable().keySet())) {
            // an in-place edit of the parameter's view, as an updater or a pruning mask makes it
            layer.getParam(key).addi(0.25);
            expected++;
            assertMatchesDl4j(standard, fast, x, "after an in-place edit of " + key, expected);
            layer.getParam(key).putScalar(1, layer.getParam(key).getDouble(1) * 1.5);
            expected++;
            assertMatchesDl4j(standard, fast, x, "after one element of " + key + " changed", expected);
        }
        randomizeParams(fast, c, 84);
        expected++;
        assertMatchesDl4j(standard, fast, x, "after setParams", expected);
        assertTrue(maxDifference(first, inference(layer, x)) > 0.1, "the changes changed the output");
    }

    @Test
    void trainingStepsAreSeenByTheNextInferenceCall() {
        MultiLayerNetwork net = new MultiLayerNetwork(FastLayers.withFastLayers(TinyNetworks.stack(
                WorkspaceMode.ENABLED, DataType.FLOAT, new Sgd(0.5), Activation.RELU, 4)));
        net.init();
        DataSet data = TinyNetworks.data(91, 4, DataType.FLOAT);
        for (int step = 0; step < 3; step++) {
            INDArray output = net.output(data.getFeatures(), false).dup();
            // a copy has fresh layers, so nothing cached: it computes from the current parameters
            INDArray fresh = net.clone().output(data.getFeatures(), false);
            assertClose("network output after " + step + " training steps", fresh, output, TOLERANCE);
            assertEquals(step + 1, cache(net.getLayer(1)).computations(), "recomputed after each step");
            net.fit(data);
        }
    }

    private static void assertMatchesDl4j(MultiLayerNetwork standard, MultiLayerNetwork fast, INDArray x,
                                          String change, long computations) {
        standard.setParams(fast.params());
        INDArray expected = inference(standard.getLayer(0), x);
        assertClose(change, expected, inference(fast.getLayer(0), x), TOLERANCE);
        assertEquals(computations, cache(fast.getLayer(0)).computations(), change + ": recomputed once");
    }

    private static BatchNormInference cache(Layer layer) {
        return ((FastBatchNormalizationImpl) layer).inferenceCache();
    }

    private static BatchNormalization.Builder configure(BatchNormalization.Builder builder, Case c) {
        return BatchNormNets.configure(builder, c.useLogStd(), c.lockGammaBeta());
    }

    private static void randomizeParams(MultiLayerNetwork net, Case c, long seed) {
        BatchNormNets.randomizeParams(net, c.useLogStd(), c.lockGammaBeta(), seed);
    }

    private static MultiLayerNetwork network(BatchNormalization layer) {
        return BatchNormNets.network(layer, InputType.convolutional(5, 6, CHANNELS));
    }
}
