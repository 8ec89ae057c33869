package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A convolution whose only reader is a 2x2/2 max pooling pools its own output (the per-image sparse kernel inside its
 * output pass, the other kernels right after), and the pooling writes its reader's padded layout: a VGG-like
 * network against DL4J under every kernel policy, odd plane sizes included.
 */
class FusedPoolingTest {

    private static final double TOLERANCE = 1e-4;

    /** conv(3x3 same) -> conv -> pool -> conv -> pool -> dense softmax, on {@code size x size} images. */
    private static MultiLayerNetwork vggLike(int size, long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(PrunedNetworks.base().list()
                .layer(conv("c0", 8))
                .layer(conv("c1", 8))
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).name("p1").kernelSize(2, 2).stride(2, 2).build())
                .layer(conv("c2", 12))
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).name("p2").kernelSize(2, 2).stride(2, 2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(5)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(size, size, 3)).build());
        net.init();
        return PrunedNetworks.prune(net, 0.6, seed);
    }

    private static ConvolutionLayer conv(String name, int channels) {
        return new ConvolutionLayer.Builder(3, 3).name(name).nOut(channels).convolutionMode(ConvolutionMode.Same)
                .activation(Activation.RELU).build();
    }

    @Test
    void poolingFusedIntoTheConvolutionMatchesDl4jUnderEveryPolicyAndOddSizes() {
        for (int size : new int[] {12, 11, 9}) {
            MultiLayerNetwork net = vggLike(size, size);
            for (KernelPolicy policy : KernelPolicy.values()) {
                SparseRunner runner = SparseRunner.compile(net, RunnerOptions.defaults().withPolicy(policy));
                for (int batch : new int[] {1, 3, 9}) {
                    INDArray x = Nd4j.randn(DataType.FLOAT, batch, 3, size, size);
                    INDArray expected = net.output(x);
                    // enough calls for the calibration to decide and a recheck to run
                    for (int call = 0; call < 12; call++) {
                        double difference = PrunedNetworks.maxAbsDifference(runner.output(x)[0], expected);
                        assertTrue(difference < TOLERANCE, "size " + size + " " + policy + " batch " + batch
                                + " call " + call + ": " + difference);
                    }
                }
                int[] pooled = runner.pooledArrays();
                assertEquals(0, pooled[1], "no array lent out after the calls");
            }
        }
    }

    @Test
    void theConvolutionBeforeAPoolHandsOverOnlyThePooledValueInItsReadersLayout() {
        MultiLayerNetwork net = vggLike(12, 3);
        SparseRunner runner = SparseRunner.compile(net, RunnerOptions.defaults().withPolicy(KernelPolicy.SPARSE));
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 3, 12, 12);
        runner.output(x);
        List<Step> steps = runner.steps();
        // c0 -> c1 (c1's padded layout), c1 -> p1 (pooled in c1), p1 -> c2 (c2's padded layout)
        Tensor c0 = steps.get(0).run(new Tensor[] {Tensor.of(x)});
        Tensor c1 = steps.get(1).run(new Tensor[] {c0});
        assertNotNull(c1.pooled(), "c1 pooled its output for p1");
        assertTrue(assertThrows(IllegalStateException.class, c1::floats).getMessage().contains(
                "pooled by its producer"));
        Tensor p1 = steps.get(2).run(new Tensor[] {c1});
        assertEquals(c1.pooled(), p1, "p1 hands on c1's pooling");
        assertNotNull(p1.layout(), "p1 wrote padded rows");
        assertEquals(steps.get(3).inputLayout(p1.shape()), p1.layout(), "in c2's padded layout");
        assertEquals(List.of(2L, 8L, 6L, 6L), java.util.Arrays.stream(p1.shape()).boxed().toList());
        // the same pooling computed by the pooling step from c1's unpooled output
        MaxPoolingStep alone = (MaxPoolingStep) steps.get(2);
        Tensor unpooled = Tensor.of(Nd4j.randn(DataType.FLOAT, 2, 8, 12, 12));
        assertNull(unpooled.pooled());
        Tensor direct = alone.pool(unpooled);
        INDArray reference = Nd4j.create(unpooled.floats(), 2, 8, 12, 12);
        double difference = PrunedNetworks.maxAbsDifference(direct.array(), reference.reshape(2, 8, 6, 2, 6, 2).max(
                3, 5));
        assertEquals(0.0, difference, "pooling copies values");
    }
}
