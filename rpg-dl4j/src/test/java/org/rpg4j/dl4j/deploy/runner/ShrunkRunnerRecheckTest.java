package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
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
 * A shrunk network's shapes (dense weights, 1-5 channels, residual blocks) through the runner's measured choice for
 * more calls than the calibration and its rechecks at calls 8, 16 and 32 after the decision: every call's output
 * stays within 1e-4 of DL4J's, whichever kernel each step runs and whether a recheck ran the other one.
 */
class ShrunkRunnerRecheckTest {

    private static final double TOLERANCE = 1e-4;
    private static final int CALLS = 45;

    @Test
    void everyCallMatchesDl4jThroughCalibrationAndRechecks() {
        // density 1 (sparsity 0): a structurally shrunk network's weights are dense
        ComputationGraph graph = PrunedNetworks.prune(smallResidual(), 0.0, 5);
        SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults());
        for (int batch : new int[] {1, 3}) {
            Nd4j.getRandom().setSeed(batch);
            INDArray x = Nd4j.rand(DataType.FLOAT, batch, 2, 9, 7);
            INDArray expected = graph.outputSingle(x);
            double spread = expected.maxNumber().doubleValue() - expected.minNumber().doubleValue();
            assertTrue(spread > 0.01, "output too uniform for a meaningful comparison: spread " + spread);
            for (int call = 0; call < CALLS; call++) {
                double difference = PrunedNetworks.maxAbsDifference(runner.output(x)[0], expected);
                assertTrue(difference < TOLERANCE, "batch " + batch + " call " + call + ": " + difference);
            }
        }
        // every convolution was timed against oneDNN (not forced by density) and reports one kernel per batch size
        assertEquals(2 * 6, runner.report().stream().filter(c -> c.operation().startsWith("conv")).count(),
                runner.report().toString());
        assertEquals(0, runner.pooledArrays()[1], "no array still lent after the calls");
    }

    /** Stem 2->3 channels, a block of 3 with an identity shortcut, a strided block 3->5 with a 1x1 projection. */
    private static ComputationGraph smallResidual() {
        ComputationGraphConfiguration.GraphBuilder builder = PrunedNetworks.base().graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(9, 7, 2));
        conv(builder, "stem", "in", 3, 1, 3, true);
        conv(builder, "b1a", "stem_out", 3, 1, 3, true);
        conv(builder, "b1b", "b1a_out", 3, 1, 3, false);
        builder.addVertex("add1", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b1b_out", "stem_out")
                .addLayer("r1", new ActivationLayer(Activation.RELU), "add1");
        conv(builder, "b2a", "r1", 5, 2, 3, true);
        conv(builder, "b2b", "b2a_out", 5, 1, 3, false);
        conv(builder, "proj", "r1", 5, 2, 1, false);
        builder.addVertex("add2", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b2b_out", "proj_out")
                .addLayer("r2", new ActivationLayer(Activation.RELU), "add2");
        return PrunedNetworks.poolAndClassify(builder, "r2");
    }

    /** Adds conv (no bias) and batch norm, and a ReLU layer if asked; the last vertex is {@code name + "_out"}. */
    private static void conv(ComputationGraphConfiguration.GraphBuilder builder, String name, String input,
                             int channels, int stride, int kernel, boolean relu) {
        builder.addLayer(name, new ConvolutionLayer.Builder(kernel, kernel).nOut(channels).stride(stride, stride)
                .hasBias(false).activation(Activation.IDENTITY).build(), input);
        builder.addLayer(relu ? name + "_bn" : name + "_out", new BatchNormalization.Builder().build(), name);
        if (relu) {
            builder.addLayer(name + "_out", new ActivationLayer(Activation.RELU), name + "_bn");
        }
    }
}
