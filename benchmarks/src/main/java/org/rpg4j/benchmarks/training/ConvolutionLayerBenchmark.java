package org.rpg4j.benchmarks.training;

import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.rpg4j.dl4j.layers.FastConvolutionLayer;

/**
 * One training pass (forward in training mode, then backward) of a ResNet-20 3x3 convolution
 * (stride 1, Same mode, no bias) at batch 128: DL4J's ConvolutionLayer against FastConvolutionLayer.
 * The timed region holds {@code activate} and {@code backpropGradient} without workspaces, so it
 * includes the allocation of the output and of the input gradient for both implementations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ConvolutionLayerBenchmark {

    /** Input channels (= output channels) x height (= width): the three ResNet-20 stages. */
    @Param({"16x32", "32x16", "64x8"})
    public String shape;

    /** STANDARD (DL4J's layer) or FAST. */
    @Param({"STANDARD", "FAST"})
    public String layers;

    private Layer layer;
    private INDArray input;
    private INDArray epsilon;

    /** Builds the layer and seeded N(0, 1) input and output gradient {@code [128, c, s, s]}. */
    @Setup
    public void setUp() {
        int[] cs = LayerBenchmarkSetup.parse(shape);
        ConvolutionLayer conf = "FAST".equals(layers)
                ? new FastConvolutionLayer.Builder(3, 3).nOut(cs[0]).hasBias(false)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build()
                : new ConvolutionLayer.Builder(3, 3).nOut(cs[0]).hasBias(false)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build();
        layer = LayerBenchmarkSetup.layer(conf, cs[0], cs[1]);
        Nd4j.getRandom().setSeed(7);
        input = Nd4j.randn(DataType.FLOAT, 128, cs[0], cs[1], cs[1]);
        epsilon = Nd4j.randn(DataType.FLOAT, 128, cs[0], cs[1], cs[1]);
    }

    /** @param blackhole sink for the output and the input gradient */
    @Benchmark
    public void forwardBackward(Blackhole blackhole) {
        blackhole.consume(layer.activate(input, true, LayerWorkspaceMgr.noWorkspaces()));
        blackhole.consume(layer.backpropGradient(epsilon, LayerWorkspaceMgr.noWorkspaces()).getSecond());
    }
}
