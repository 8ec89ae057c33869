package org.rpg4j.benchmarks.training;

import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
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

/**
 * One training pass (forward in training mode, then backward) of a single ResNet-20 layer at batch
 * 128, DL4J's implementation against rpg4j's fast one; subclasses say which layer. The layer is the
 * only layer of a float32 network initialised with DL4J's defaults and a fixed seed. The timed
 * region holds {@code activate} and {@code backpropGradient} without workspaces, so it includes the
 * allocation of the output and of the input gradient for both implementations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public abstract class LayerPassBenchmark {

    /** Channels x height (= width): the three ResNet-20 stages. */
    @Param({"16x32", "32x16", "64x8"})
    public String shape;

    /** STANDARD (DL4J's layer) or FAST. */
    @Param({"STANDARD", "FAST"})
    public String layers;

    private Layer layer;
    private INDArray input;
    private INDArray epsilon;

    /**
     * @param channels input channels (the layer keeps them)
     * @param fast true for rpg4j's fast layer, false for DL4J's
     * @return the layer's configuration
     */
    protected abstract org.deeplearning4j.nn.conf.layers.Layer configuration(int channels, boolean fast);

    /** Builds the layer and seeded N(0, 1) input and output gradient {@code [128, c, s, s]}. */
    @Setup
    public void setUp() {
        String[] parts = shape.split("x");
        int channels = Integer.parseInt(parts[0]);
        int size = Integer.parseInt(parts[1]);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(42)
                .dataType(DataType.FLOAT).list().layer(configuration(channels, "FAST".equals(layers)))
                .setInputType(InputType.convolutional(size, size, channels)).build());
        net.init();
        net.initGradientsView();
        layer = net.getLayer(0);
        Nd4j.getRandom().setSeed(7);
        input = Nd4j.randn(DataType.FLOAT, 128, channels, size, size);
        epsilon = Nd4j.randn(DataType.FLOAT, 128, channels, size, size);
    }

    /** @param blackhole sink for the output and the input gradient */
    @Benchmark
    public void forwardBackward(Blackhole blackhole) {
        blackhole.consume(layer.activate(input, true, LayerWorkspaceMgr.noWorkspaces()));
        blackhole.consume(layer.backpropGradient(epsilon, LayerWorkspaceMgr.noWorkspaces()).getSecond());
    }
}
