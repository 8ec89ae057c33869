package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Networks with 1-channel layers (a Fashion-MNIST input, channel-shrunk layers): ND4J gives a size-1 dimension the
 * stride of the next one, and {@code Shape.hasDefaultStridesForShape} refuses such arrays, so a dense convolution
 * reading a 1-channel value held in Java arrays threw "target must be a plain float32 array" from
 * {@link Tensor#arrayInto}. Every call's output is compared with DL4J's, under every kernel policy, at batch 1, 2 and
 * 3.
 */
class OneChannelRunnerTest {

    private static final double TOLERANCE = 1e-4;
    private static final int CALLS = 12;
    private static final int[] BATCHES = {1, 2, 3};

    /**
     * 1-channel 8x8 input; conv 1->4, 4->1, 1->1, max pooling of the 1-channel plane, conv 1->3, then a dense layer
     * of one unit and a 3-unit identity output.
     */
    @Test
    void convolutionsPoolingAndDenseLayersOfOneChannelMatchDl4j() {
        MultiLayerNetwork net = new MultiLayerNetwork(PrunedNetworks.base().list()
                .layer(conv("c1to4", 4))
                .layer(conv("c4to1", 1))
                .layer(conv("c1to1", 1))
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).name("pool").kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(conv("c1to3", 3))
                .layer(new DenseLayer.Builder().name("unit").nOut(1).activation(Activation.IDENTITY).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).name("out").nOut(3)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(8, 8, 1)).build());
        net.init();
        PrunedNetworks.prune(net, 0.3, 5);
        for (KernelPolicy policy : List.of(KernelPolicy.DENSE, KernelPolicy.SPARSE, KernelPolicy.MEASURED)) {
            SparseRunner runner = SparseRunner.compile(net, RunnerOptions.defaults().withPolicy(policy));
            for (int batch : BATCHES) {
                Nd4j.getRandom().setSeed(batch);
                INDArray x = Nd4j.rand(DataType.FLOAT, batch, 1, 8, 8);
                assertMatches(runner, x, net.output(x), policy + " batch " + batch);
            }
            assertEquals(0, runner.pooledArrays()[1], policy + ": no array still lent after the calls");
        }
    }

    /**
     * A residual block of 1-channel convolutions (conv 1->1 with batch norm, ReLU; conv 1->1, batch norm, added to
     * the block's input, ReLU), so the dense kernel also reads a 1-channel residual, then conv 1->2 and a classifier.
     */
    @Test
    void oneChannelResidualBlockMatchesDl4j() {
        ComputationGraphConfiguration.GraphBuilder builder = PrunedNetworks.base().graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(6, 7, 1));
        convBn(builder, "c0", "in", 1, true);
        convBn(builder, "c1", "c0_out", 1, true);
        convBn(builder, "c2", "c1_out", 1, false);
        builder.addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "c2_out", "c0_out")
                .addLayer("r", new ActivationLayer(Activation.RELU), "add");
        convBn(builder, "c3", "r", 2, true);
        ComputationGraph graph = PrunedNetworks.prune(PrunedNetworks.poolAndClassify(builder, "c3_out"), 0.0, 6);
        for (KernelPolicy policy : List.of(KernelPolicy.DENSE, KernelPolicy.SPARSE, KernelPolicy.MEASURED)) {
            SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(policy));
            for (int batch : BATCHES) {
                Nd4j.getRandom().setSeed(10 + batch);
                INDArray x = Nd4j.rand(DataType.FLOAT, batch, 1, 6, 7);
                assertMatches(runner, x, graph.outputSingle(x), policy + " batch " + batch);
            }
            assertEquals(0, runner.pooledArrays()[1], policy + ": no array still lent after the calls");
        }
    }

    /**
     * 1x1 planes ({@code [batch, channels, 1, 1]}, the other size-1 dimensions): 3-channel 2x2 input, conv 3->2, max
     * pooling to 1x1, conv 2->1 and 1->1 on the 1x1 plane, then a 2-unit identity output.
     */
    @Test
    void convolutionsOnOneByOnePlanesMatchDl4j() {
        MultiLayerNetwork net = new MultiLayerNetwork(PrunedNetworks.base().list()
                .layer(conv("c3to2", 2))
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).name("pool").kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(conv("c2to1", 1))
                .layer(conv("c1to1", 1))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).name("out").nOut(2)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(2, 2, 3)).build());
        net.init();
        PrunedNetworks.prune(net, 0.0, 7);
        for (KernelPolicy policy : List.of(KernelPolicy.DENSE, KernelPolicy.SPARSE, KernelPolicy.MEASURED)) {
            SparseRunner runner = SparseRunner.compile(net, RunnerOptions.defaults().withPolicy(policy));
            for (int batch : BATCHES) {
                Nd4j.getRandom().setSeed(20 + batch);
                INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, 2, 2);
                assertMatches(runner, x, net.output(x), policy + " batch " + batch);
            }
            assertEquals(0, runner.pooledArrays()[1], policy + ": no array still lent after the calls");
        }
    }

    private static void assertMatches(SparseRunner runner, INDArray x, INDArray expected, String what) {
        double spread = expected.maxNumber().doubleValue() - expected.minNumber().doubleValue();
        assertTrue(spread > 1e-3, what + ": output too uniform for a meaningful comparison: spread " + spread);
        for (int call = 0; call < CALLS; call++) {
            double difference = PrunedNetworks.maxAbsDifference(runner.output(x)[0], expected);
            assertTrue(difference < TOLERANCE, what + " call " + call + ": " + difference);
        }
    }

    /** A 3x3 convolution with bias and ReLU. */
    private static ConvolutionLayer conv(String name, int channels) {
        return new ConvolutionLayer.Builder(3, 3).name(name).nOut(channels).activation(Activation.RELU).build();
    }

    /** conv 3x3 (no bias) and batch norm, and a ReLU layer if asked; the last vertex is {@code name + "_out"}. */
    private static void convBn(ComputationGraphConfiguration.GraphBuilder builder, String name, String input,
                               int channels, boolean relu) {
        builder.addLayer(name, new ConvolutionLayer.Builder(3, 3).nOut(channels).hasBias(false)
                .activation(Activation.IDENTITY).build(), input);
        builder.addLayer(relu ? name + "_bn" : name + "_out", new BatchNormalization.Builder().build(), name);
        if (relu) {
            builder.addLayer(name + "_out", new ActivationLayer(Activation.RELU), name + "_bn");
        }
    }
}
