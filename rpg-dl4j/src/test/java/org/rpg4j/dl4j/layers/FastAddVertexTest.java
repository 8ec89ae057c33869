package org.rpg4j.dl4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.rpg4j.dl4j.layers.TestArrays.assertClose;
import static org.rpg4j.dl4j.layers.TestArrays.gaussian;

import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** FastAddVertex against DL4J's add vertex followed by a ReLU layer: outputs, gradients, JSON. */
class FastAddVertexTest {

    /** Gradients through the same ops in the same order, except the ReLU mask taken from a recomputed sum. */
    private static final double GRADIENT_TOLERANCE = 1e-6;
    private static final int CHANNELS = 4;
    private static final int SIZE = 6;

    /** @param batch 1: the Java loop (144 elements per input); 500: DL4J's ops (72,000 elements) */
    @ParameterizedTest
    @ValueSource(ints = {1, 500})
    void inferenceEqualsAddThenReluBitForBit(int batch) {
        ComputationGraph standard = graph(false);
        ComputationGraph fused = graph(true);
        copyParams(standard, fused);
        INDArray x = gaussian(111 + batch, batch, 3, SIZE, SIZE);
        INDArray expected = standard.outputSingle(false, x).dup();
        INDArray actual = fused.outputSingle(false, x).dup();
        assertClose("output, batch " + batch, expected, actual, 0.0);
    }

    @Test
    void gradientsEqualAddThenRelu() {
        ComputationGraph standard = graph(false);
        ComputationGraph fused = graph(true);
        copyParams(standard, fused);
        INDArray x = gaussian(121, 5, 3, SIZE, SIZE);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 5, 3);
        for (int i = 0; i < 5; i++) {
            labels.putScalar(i, i % 3, 1.0);
        }
        for (ComputationGraph net : new ComputationGraph[] {standard, fused}) {
            net.setInputs(x);
            net.setLabels(labels);
            net.computeGradientAndScore();
        }
        assertEquals(standard.score(), fused.score(), GRADIENT_TOLERANCE, "loss");
        Map<String, INDArray> expected = standard.gradient().gradientForVariable();
        Map<String, INDArray> actual = fused.gradient().gradientForVariable();
        assertEquals(expected.keySet(), actual.keySet(), "gradient keys");
        for (String key : expected.keySet()) {
            assertClose(key + " gradient", expected.get(key), actual.get(key), GRADIENT_TOLERANCE);
        }
    }

    @Test
    void jsonRoundTripKeepsTheVertex() {
        ComputationGraphConfiguration conf = graph(true).getConfiguration();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        GraphVertex vertex = back.getVertices().get("add");
        assertEquals(new FastAddVertex(true), vertex);
        assertNotEquals(new FastAddVertex(false), vertex);
        assertEquals(conf, back);
    }

    /** in - {conv a, conv b} - add - ReLU - global average pool - softmax, the add and ReLU fused or not. */
    private static ComputationGraph graph(boolean fused) {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.FLOAT).updater(new Sgd(0.1)).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(SIZE, SIZE, 3))
                .addLayer("a", conv(), "in").addLayer("b", conv(), "in");
        if (fused) {
            b.addVertex("add", new FastAddVertex(true), "a", "b");
        } else {
            b.addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "a", "b")
                    .addLayer("relu", new ActivationLayer(Activation.RELU), "add");
        }
        ComputationGraph net = new ComputationGraph(b
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), fused ? "add" : "relu")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").build());
        net.init();
        return net;
    }

    private static ConvolutionLayer conv() {
        return new ConvolutionLayer.Builder(3, 3).nOut(CHANNELS).activation(Activation.IDENTITY)
                .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same).build();
    }

    private static void copyParams(ComputationGraph from, ComputationGraph to) {
        from.setParams(gaussian(131, 1, from.numParams()).muli(0.5));
        from.paramTable().forEach((key, value) -> to.setParam(key, value.dup()));
    }
}
