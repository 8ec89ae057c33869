package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.sparse.kernel.KernelThreading;

/** Residual adds on Java arrays against DL4J's vertex: two and three inputs, with and without ReLU. */
class AddStepTest {

    private static final double TOLERANCE = 1e-5;

    @Test
    void addsOfTwoAndThreeInputsMatchDl4jOnEveryThreading() {
        for (boolean relu : new boolean[] {true, false}) {
            for (int terms : new int[] {2, 3}) {
                ComputationGraph graph = PrunedNetworks.prune(graph(terms, relu), 0.5, 7);
                for (KernelThreading threading : KernelThreading.values()) {
                    SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults().withThreading(
                            threading));
                    // 2 x 8 x 64 x 64 = 65536 floats per image: two chunks of the parallel add
                    INDArray x = Nd4j.randn(DataType.FLOAT, 2, 2, 64, 64);
                    INDArray expected = graph.outputSingle(x);
                    double difference = PrunedNetworks.maxAbsDifference(runner.output(x)[0], expected);
                    assertTrue(difference < TOLERANCE, terms + " terms relu " + relu + " " + threading + ": "
                            + difference);
                    assertTrue(expected.minNumber().doubleValue() < 0 != relu, "ReLU output has no negatives");
                    if (terms == 2) {
                        // a two-input add after a convolution is fused into it (its other input comes first)
                        assertTrue(runner.report().stream().noneMatch(c -> c.name().equals("add")));
                        assertTrue(runner.report().stream().anyMatch(c -> c.name().equals("c1")
                                && c.operation().endsWith("+add" + (relu ? " +relu" : ""))), runner.report()
                                        .toString());
                    } else {
                        assertEquals(KernelKind.JAVA, runner.report().stream().filter(c -> c.name().equals("add"))
                                .findFirst().orElseThrow().kernel());
                    }
                }
            }
        }
    }

    /** {@code terms} 3x3 convolutions of the input, added (+ ReLU); [n, 2, 64, 64] -> [n, 8, 64, 64]. */
    private static ComputationGraph graph(int terms, boolean relu) {
        var builder = PrunedNetworks.base().graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(64, 64, 2));
        String[] names = new String[terms];
        for (int t = 0; t < terms; t++) {
            names[t] = "c" + t;
            builder.addLayer(names[t], new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.IDENTITY)
                    .build(), "in");
        }
        builder.addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), names);
        String out = "add";
        if (relu) {
            builder.addLayer("relu", new ActivationLayer(Activation.RELU), "add");
            out = "relu";
        }
        ComputationGraph graph = new ComputationGraph(builder.setOutputs(out).build());
        graph.init();
        return graph;
    }
}
