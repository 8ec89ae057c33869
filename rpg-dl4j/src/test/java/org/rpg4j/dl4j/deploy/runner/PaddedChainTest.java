package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.sparse.kernel.FusedActivation;
import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * A ResNet block's chain (3x3 conv + ReLU, 3x3 conv, add of the block input + ReLU, 3x3 conv) run step
 * by step: with the readers connected, every value between the steps stays in the next convolution's
 * padded layout, and the result equals the same steps on ND4J's dense {@code conv2d}.
 */
class PaddedChainTest {

    private static final double TOLERANCE = 1e-4;
    private static final int CHANNELS = 6;
    private static final int SIZE = 9;

    @Test
    void convolutionsAndAddsHandOverPaddedPlanesAndMatchTheDenseKernels() {
        Random random = new Random(4);
        float[][] weights = new float[3][];
        float[][] biases = new float[3][];
        for (int c = 0; c < 3; c++) {
            weights[c] = new float[CHANNELS * CHANNELS * 9];
            for (int i = 0; i < weights[c].length; i++) {
                weights[c][i] = random.nextDouble() < 0.6 ? 0f : (float) random.nextGaussian() / 4;
            }
            biases[c] = new float[CHANNELS];
            for (int i = 0; i < CHANNELS; i++) {
                biases[c][i] = (float) random.nextGaussian() / 4;
            }
        }
        for (int batch : new int[] {1, 3}) {
            float[] image = new float[batch * CHANNELS * SIZE * SIZE];
            for (int i = 0; i < image.length; i++) {
                image[i] = (float) random.nextGaussian();
            }
            Tensor[] sparse = block(weights, biases, KernelPolicy.SPARSE, true, image, batch);
            Tensor[] dense = block(weights, biases, KernelPolicy.DENSE, true, image, batch);
            for (int v = 0; v < 3; v++) {
                assertNotNull(sparse[v].layout(), "value " + v + " handed over in a padded layout");
                assertNull(dense[v].layout(), "the dense kernels read and write ND4J arrays");
            }
            Tensor[] unconnected = block(weights, biases, KernelPolicy.SPARSE, false, image, batch);
            assertNull(unconnected[0].layout(), "without readers a convolution writes plain NCHW");
            for (int v = 0; v < 4; v++) {
                double difference = PrunedNetworks.maxAbsDifference(sparse[v].array(), dense[v].array());
                assertTrue(difference < TOLERANCE, "batch " + batch + " value " + v + ": " + difference);
                assertTrue(PrunedNetworks.maxAbsDifference(sparse[v].array(), unconnected[v].array()) < TOLERANCE);
            }
            assertTrue(Nd4j.create(sparse[3].floats()).maxNumber().doubleValue() > 0, "ReLU output not all zero");
        }
    }

    /** @return the outputs of c1, c2, the add and c3 */
    private static Tensor[] block(float[][] weights, float[][] biases, KernelPolicy policy, boolean connect,
                                  float[] image, int batch) {
        RunnerOptions options = RunnerOptions.defaults().withPolicy(policy);
        ConvolutionStep c1 = step("c1", weights[0], biases[0], FusedActivation.RELU, options);
        ConvolutionStep c2 = step("c2", weights[1], biases[1], FusedActivation.IDENTITY, options);
        AddStep add = new AddStep("add", FusedActivation.RELU, KernelThreading.COMMON_POOL);
        ConvolutionStep c3 = step("c3", weights[2], biases[2], FusedActivation.RELU, options);
        if (connect) {
            c1.addReader(c2);
            c2.addReader(add);
            add.addReader(c3);
        }
        Tensor x = Tensor.of(image.clone(), batch, CHANNELS, SIZE, SIZE);
        Tensor y1 = c1.run(new Tensor[] {x});
        Tensor y2 = c2.run(new Tensor[] {y1});
        Tensor sum = add.run(new Tensor[] {y2, x});
        Tensor y3 = c3.run(new Tensor[] {sum});
        return new Tensor[] {y1, y2, sum, y3};
    }

    private static ConvolutionStep step(String name, float[] weights, float[] bias, FusedActivation activation,
                                        RunnerOptions options) {
        ConvolutionSpec spec = new ConvolutionSpec(CHANNELS, CHANNELS, new int[] {3, 3}, new int[] {1, 1},
                new int[] {0, 0}, new int[] {1, 1}, true);
        return new ConvolutionStep(name, spec, weights.clone(), bias.clone(), activation, "", options);
    }
}
