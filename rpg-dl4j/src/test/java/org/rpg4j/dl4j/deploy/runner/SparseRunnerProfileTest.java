package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
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

/** {@link SparseRunner#profile}: one timed entry per step, in order, with the step's kernel. */
class SparseRunnerProfileTest {

    @Test
    void profileTimesEveryStepInExecutionOrder() {
        MultiLayerNetwork net = new MultiLayerNetwork(PrunedNetworks.base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv").nOut(6).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).name("pool").kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 2)).build());
        net.init();
        PrunedNetworks.prune(net, 0.7, 5);
        SparseRunner runner = SparseRunner.compile(net, RunnerOptions.defaults().withPolicy(KernelPolicy.SPARSE));
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 2, 8, 8);
        runner.output(x);
        List<StepTime> times = runner.profile(3, x);
        assertEquals(List.of("conv", "pool", "out"), times.stream().map(StepTime::name).toList());
        assertEquals(List.of(KernelKind.SPARSE, KernelKind.JAVA, KernelKind.SPARSE), times.stream().map(
                StepTime::kernel).toList());
        for (StepTime t : times) {
            assertTrue(t.millis() > 0 && Double.isFinite(t.millis()), t.toString());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> runner.profile(0, x)).getMessage().contains(
                "calls must be >= 1, got 0"));
    }

    @Test
    void profileReadsTheGivenClockAroundEveryStep() {
        MultiLayerNetwork net = new MultiLayerNetwork(PrunedNetworks.base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv").nOut(4).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(6, 6, 2)).build());
        net.init();
        SparseRunner runner = SparseRunner.compile(net, RunnerOptions.defaults().withPolicy(KernelPolicy.SPARSE));
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 2, 6, 6);
        // a clock advancing 1 ms at every reading: each step reads it twice per call, so 1 ms per step and call
        AtomicLong now = new AtomicLong();
        List<StepTime> times = runner.profile(4, () -> now.addAndGet(1_000_000L), x);
        assertEquals(List.of(1.0, 1.0), times.stream().map(StepTime::millis).toList());
        assertEquals(16_000_000L, now.get());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> runner.profile(1, (LongSupplier) null, x))
                .getMessage()
                .contains("clock must not be null"));
    }
}
