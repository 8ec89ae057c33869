package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;
import org.rpg4j.prune.TensorKind;

/**
 * Every convolution type DL4J offers is found, laid out output-first correctly, and pruned without
 * touching its bias: {@code DepthwiseConvolution2D} and {@code SeparableConvolution2D} store the bias
 * before the weights while DL4J's updater views assume the opposite, so masking through those views
 * would zero biases and miss weights.
 */
class LayerTypesTest {

    static Stream<Arguments> layers() {
        return Stream.of(
                Arguments.of("Convolution1DLayer", new Convolution1DLayer.Builder().kernelSize(3).nOut(5).build(),
                        InputType.recurrent(3, 8), new long[] {3, 8}, Map.of("c/W", 5L)),
                Arguments.of("Convolution3D", new Convolution3D.Builder().kernelSize(2, 2, 2).nOut(4).build(),
                        InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, 4, 4, 4, 3),
                        new long[] {3, 4, 4, 4}, Map.of("c/W", 4L)),
                Arguments.of("Deconvolution2D", new Deconvolution2D.Builder(2, 2).stride(2, 2).nOut(4).build(),
                        InputType.convolutional(4, 4, 3), new long[] {3, 4, 4}, Map.of("c/W", 4L)),
                Arguments.of("Deconvolution3D", new Deconvolution3D.Builder().kernelSize(2, 2, 2).nOut(4).build(),
                        InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, 3, 3, 3, 3),
                        new long[] {3, 3, 3, 3}, Map.of("c/W", 4L)),
                Arguments.of("DepthwiseConvolution2D", new DepthwiseConvolution2D.Builder(3, 3).depthMultiplier(2)
                        .nOut(6).build(), InputType.convolutional(6, 6, 3), new long[] {3, 6, 6}, Map.of("c/W", 3L)),
                Arguments.of("SeparableConvolution2D", new SeparableConvolution2D.Builder(3, 3).depthMultiplier(2)
                        .nOut(5).build(), InputType.convolutional(6, 6, 3), new long[] {3, 6, 6},
                        Map.of("c/W", 3L, "c/pW", 5L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void convolutionTypeIsPrunedWithItsBiasUntouched(String type, Layer conv, InputType input, long[] example,
                                                     Map<String, Long> outputChannels) {
        conv.setLayerName("c");
        MultiLayerConfiguration conf = Nets.base(new Adam(0.02), Nets.Decay.NONE).list()
                .layer(conv)
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("pool").build())
                .layer(Nets.output())
                .setInputType(input).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        PruningConfig config = PruningConfig.builder(0.6, 8).deltaT(2)
                .rankLoss(RankLoss.lambda(1.0)).build();
        Pruning pruning = Dl4jPruning.attach(net, config);

        for (PrunableTensor t : pruning.tensors()) {
            if (t.name().startsWith("c/")) {
                assertEquals(TensorKind.CONVOLUTION, t.kind(), t.name());
                assertEquals(type, t.layerType());
                INDArray w = Inspect.param(net, t.name());
                assertArrayEquals(w.shape(), t.shape());
                assertEquals(outputChannels.get(t.name()), w.permute(t.outputFirstAxes()).size(0),
                        t.name() + " output-first axis");
            }
        }
        assertEquals(outputChannels.keySet().size() + 1, pruning.tensors().size(), "conv tensors plus out/W");

        List<DataSet> data = Nets.data(8, 4, 6, example);
        for (DataSet d : data) {
            net.fit(d);
            Inspect.assertPrunedAreZero(pruning, type);
        }
        assertEquals(0.6, pruning.sparsity(), 0.02);
        INDArray bias = Inspect.layer(net, "c").getParam("b");
        for (float b : bias.dup().data().asFloat()) {
            assertNotEquals(0.0f, b, type + ": a trained bias is never exactly zero, unless something masked it");
        }
        assertTrue(pruning.report().layers().stream().anyMatch(l -> l.name().equals("c/W") && l.sparsity() > 0));
    }
}
