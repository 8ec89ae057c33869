package org.rpg4j.dl4j.shrink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rpg4j.dl4j.shrink.ShrinkFixtures.input;
import static org.rpg4j.dl4j.shrink.ShrinkFixtures.output;
import static org.rpg4j.dl4j.shrink.ShrinkFixtures.randomiseBatchNorm;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rpg4j.dl4j.layers.FastAddVertex;
import org.rpg4j.dl4j.layers.FastLayers;

/** Batch-norm folding and activation fusion for deployment: same outputs, fewer layers. */
class InferenceFoldingTest {
    /** The bound for float32 outputs of the folded network against the original. */
    private static final double TOLERANCE = 1e-4;

    private static ConvolutionLayer conv(int nOut, boolean bias) {
        return new ConvolutionLayer.Builder(3, 3).nOut(nOut).hasBias(bias).activation(Activation.IDENTITY).build();
    }

    private static OutputLayer linearOutput() {
        // identity + MSE: differences in the body are not squashed by a softmax
        return new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(4).activation(Activation.IDENTITY).build();
    }

    /** conv(no bias)-BN-ReLU, conv(bias)-BN(var), max-pool, BN (kept: after pooling), dense, output. */
    private static MultiLayerConfiguration layerList() {
        return new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                .convolutionMode(ConvolutionMode.Same).list()
                .layer(conv(6, false)).layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(conv(5, true)).layer(new BatchNormalization.Builder().useLogStd(false).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new DenseLayer.Builder().nOut(7).activation(Activation.TANH).build())
                .layer(linearOutput()).setInputType(InputType.convolutional(8, 8, 3)).build();
    }

    private static MultiLayerNetwork initialised(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        for (int i : new int[] {1, 4, 6}) {
            randomiseBatchNorm(net, net.getLayer(i).conf().getLayer().getLayerName(), 100 + i);
        }
        return net;
    }

    @Test
    void layerListFoldsBatchNormAfterConvolutionsWithAndWithoutBias() {
        MultiLayerNetwork net = initialised(layerList());
        FoldedNetwork<MultiLayerNetwork> folded = InferenceFolding.fold(net);

        // 9 layers -> 6: conv0 absorbs BN 1 and ReLU 2, conv3 absorbs BN 4; pool, BN 6, dense, output stay
        assertEquals(6, folded.network().getLayers().length);
        assertEquals(List.of("0 <- 1, 2", "3 <- 4"), folded.merged());
        assertEquals(1, folded.leftAlone().size());
        assertTrue(folded.leftAlone().get(0).startsWith("6: layer 5 is a SubsamplingLayer"), folded.leftAlone()
                .toString());
        assertTrue(folded.network().getLayer(0).conf().getLayer() instanceof ConvolutionLayer c && c.hasBias());
        assertSameOutputs(net, folded.network(), input(5, 4, 3, 8, 8));
    }

    @Test
    void fastLayersFoldToo() {
        MultiLayerNetwork net = initialised(FastLayers.withFastLayers(layerList()));
        FoldedNetwork<MultiLayerNetwork> folded = InferenceFolding.fold(net);

        assertEquals(6, folded.network().getLayers().length);
        assertSameOutputs(net, folded.network(), input(6, 2, 3, 8, 8));
    }

    @Test
    void activationAfterConvolutionWithoutBatchNormIsFused() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4).dataType(
                DataType.FLOAT).convolutionMode(ConvolutionMode.Same).list().layer(conv(3, true))
                .layer(new ActivationLayer(Activation.TANH)).layer(new GlobalPoolingLayer.Builder(PoolingType.MAX)
                        .build()).layer(linearOutput()).setInputType(InputType.convolutional(5, 5, 2)).build());
        net.init();
        FoldedNetwork<MultiLayerNetwork> folded = InferenceFolding.fold(net);

        assertEquals(List.of("0 <- 1"), folded.merged());
        assertEquals(3, folded.network().getLayers().length);
        assertTrue(((ConvolutionLayer) folded.network().getLayer(0).conf().getLayer())
                .getActivationFn() instanceof ActivationTanH);
        assertSameOutputs(net, folded.network(), input(9, 3, 2, 5, 5));
    }

    @Test
    void originalIsNotModified() {
        MultiLayerNetwork net = initialised(layerList());
        INDArray x = input(7, 2, 3, 8, 8);
        INDArray before = output(net, x);
        INDArray params = net.params().dup();

        InferenceFolding.fold(net);

        assertEquals(9, net.getLayers().length);
        assertEquals(0.0, params.sub(net.params()).amaxNumber().doubleValue());
        assertEquals(0.0, before.sub(output(net, x)).amaxNumber().doubleValue());
    }

    /**
     * stem conv-BN-ReLU; a residual block conv-BN-ReLU-conv(bias)-BN + the stem, add, ReLU; a conv read by a
     * BN and by a merge (BN kept); a BN after the add's ReLU (kept); global pooling, output.
     */
    private static ComputationGraph residualGraph(boolean fast) {
        GraphBuilder g = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT)
                .convolutionMode(ConvolutionMode.Same).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(6, 6, 3))
                .addLayer("stem", conv(4, false), "in").addLayer("stem_bn", new BatchNormalization.Builder().build(),
                        "stem")
                .addLayer("stem_relu", new ActivationLayer(Activation.RELU), "stem_bn")
                .addLayer("c1", conv(4, false), "stem_relu").addLayer("c1_bn", new BatchNormalization.Builder().build(),
                        "c1")
                .addLayer("c1_relu", new ActivationLayer(Activation.RELU), "c1_bn")
                .addLayer("c2", conv(4, true), "c1_relu").addLayer("c2_bn", new BatchNormalization.Builder().build(),
                        "c2")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "c2_bn", "stem_relu")
                .addLayer("add_relu", new ActivationLayer(Activation.RELU), "add")
                .addLayer("after_add_bn", new BatchNormalization.Builder().build(), "add_relu")
                .addLayer("shared", conv(3, false), "after_add_bn")
                .addLayer("shared_bn", new BatchNormalization.Builder().build(), "shared")
                .addVertex("merge", new MergeVertex(), "shared_bn", "shared")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "merge")
                .addLayer("out", linearOutput(), "gap").setOutputs("out");
        ComputationGraphConfiguration conf = g.build();
        ComputationGraph net = new ComputationGraph(fast ? FastLayers.withFastLayers(conf) : conf);
        net.init();
        for (String bn : new String[] {"stem_bn", "c1_bn", "c2_bn", "after_add_bn", "shared_bn"}) {
            randomiseBatchNorm(net, bn, bn.hashCode());
        }
        return net;
    }

    @Test
    void graphFoldsResidualBlocksAndKeepsWhatCannotFold() {
        for (boolean fast : new boolean[] {false, true}) {
            ComputationGraph net = residualGraph(fast);
            FoldedNetwork<ComputationGraph> folded = InferenceFolding.fold(net);
            ComputationGraph g = folded.network();

            assertEquals(List.of("stem <- stem_bn, stem_relu", "c1 <- c1_bn, c1_relu", "c2 <- c2_bn",
                    "add <- add_relu"), folded.merged());
            for (String gone : new String[] {"stem_bn", "stem_relu", "c1_bn", "c1_relu", "c2_bn", "add_relu"}) {
                assertFalse(g.getConfiguration().getVertices().containsKey(gone), gone);
            }
            // the add now reads the two convolutions and applies the ReLU itself; 6 of the 16 vertices (input
            // included) are gone
            assertEquals(List.of("c2", "stem"), g.getConfiguration().getVertexInputs().get("add"));
            assertEquals(new FastAddVertex(true), g.getConfiguration().getVertices().get("add"));
            assertEquals(List.of("add"), g.getConfiguration().getVertexInputs().get("after_add_bn"));
            assertEquals(net.getVertices().length - 6, g.getVertices().length);
            assertEquals(2, folded.leftAlone().size(), folded.leftAlone().toString());
            assertTrue(folded.leftAlone().contains("after_add_bn: input add_relu is a ActivationLayer, not a 2-D "
                    + "convolution") || folded.leftAlone().contains("after_add_bn: input add_relu is a "
                            + "FastActivationLayer, not a 2-D convolution"), folded.leftAlone().toString());
            assertTrue(folded.leftAlone().contains("shared_bn: input shared is read by [shared_bn, merge]"), folded
                    .leftAlone().toString());
            assertSameOutputs(net, g, input(8, 3, 3, 6, 6));
        }
    }

    @Test
    void rejectsNullAndUninitialisedNetworks() {
        IllegalArgumentException nullGraph = assertThrows(IllegalArgumentException.class,
                () -> InferenceFolding.fold((ComputationGraph) null));
        assertTrue(nullGraph.getMessage().contains("network"));
        IllegalArgumentException raw = assertThrows(IllegalArgumentException.class,
                () -> InferenceFolding.fold(new MultiLayerNetwork(layerList())));
        assertTrue(raw.getMessage().contains("init()"), raw.getMessage());
        ComputationGraph graph = new ComputationGraph(residualGraph(false).getConfiguration());
        IllegalArgumentException rawGraph = assertThrows(IllegalArgumentException.class,
                () -> InferenceFolding.fold(graph));
        assertTrue(rawGraph.getMessage().contains("init()"), rawGraph.getMessage());
    }

    private static void assertSameOutputs(Model original, Model folded, INDArray x) {
        INDArray expected = output(original, x);
        INDArray actual = output(folded, x);
        assertArrayEquals(expected.shape(), actual.shape());
        double scale = expected.amaxNumber().doubleValue();
        assertTrue(scale > 0.1, "outputs too small to show a difference: " + scale);
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= TOLERANCE, "max |output difference| " + diff + " (output scale " + scale + ")");
    }
}
