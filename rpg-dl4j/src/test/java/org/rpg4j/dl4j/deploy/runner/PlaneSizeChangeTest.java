package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A convolution step called with input planes of a new size between calls of the old one (a fully convolutional
 * network ending in global pooling): each call runs the sparse kernel made for its own plane size (the step keeps
 * the one it used last besides the per-size map), and every output stays within 1e-4 of DL4J's. With 5 and 10
 * channels the 3x3 layers also run the kernel's blocks of five output channels.
 */
class PlaneSizeChangeTest {

    private static final double TOLERANCE = 1e-4;

    @Test
    void everyPlaneSizeRunsItsOwnKernel() {
        ComputationGraph graph = PrunedNetworks.prune(network(), 0.0, 7);
        for (KernelPolicy policy : new KernelPolicy[] {KernelPolicy.SPARSE, KernelPolicy.MEASURED}) {
            SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(policy));
            int[][] sizes = {{9, 7}, {6, 6}, {9, 7}, {12, 5}, {6, 6}, {9, 7}};
            for (int round = 0; round < 3; round++) {
                for (int[] size : sizes) {
                    int batch = 1 + (round + size[0]) % 2;
                    Nd4j.getRandom().setSeed(size[0] * 31L + size[1]);
                    INDArray x = Nd4j.rand(DataType.FLOAT, batch, 2, size[0], size[1]);
                    INDArray expected = graph.outputSingle(x);
                    double difference = PrunedNetworks.maxAbsDifference(runner.output(x)[0], expected);
                    assertTrue(difference < TOLERANCE, policy + " round " + round + " plane " + size[0] + "x"
                            + size[1] + " batch " + batch + ": " + difference);
                }
            }
        }
    }

    /** Stem 2->5 channels, 5->10, 10->10, all 3x3 with batch norm and ReLU, then global pooling. */
    private static ComputationGraph network() {
        ComputationGraphConfiguration.GraphBuilder builder = PrunedNetworks.base().graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(9, 7, 2));
        String last = "in";
        int[] channels = {5, 10, 10};
        for (int c = 0; c < channels.length; c++) {
            String name = "c" + c;
            builder.addLayer(name, new ConvolutionLayer.Builder(3, 3).nOut(channels[c]).hasBias(false).activation(
                    Activation.IDENTITY).build(), last);
            builder.addLayer(name + "_bn", new BatchNormalization.Builder().build(), name);
            builder.addLayer(name + "_relu", new ActivationLayer(Activation.RELU), name + "_bn");
            last = name + "_relu";
        }
        return PrunedNetworks.poolAndClassify(builder, last);
    }
}
