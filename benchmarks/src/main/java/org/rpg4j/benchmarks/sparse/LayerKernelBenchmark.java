package org.rpg4j.benchmarks.sparse;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
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
import org.rpg4j.dl4j.layers.FastConvolutionLayer;
import org.rpg4j.sparse.kernel.BatchedConvolution;
import org.rpg4j.sparse.kernel.ChannelBlocking;
import org.rpg4j.sparse.kernel.ConvolutionShape;
import org.rpg4j.sparse.kernel.FusedActivation;
import org.rpg4j.sparse.kernel.KernelInstructions;
import org.rpg4j.sparse.kernel.KernelThreading;
import org.rpg4j.sparse.kernel.SparseConvolution;

/**
 * Inference time of one convolution layer: rpg4j's dense {@link FastConvolutionLayer} (libnd4j
 * {@code conv2d}, oneDNN) against {@link SparseConvolution} at 80-99 % sparsity, on the 3x3 shapes of
 * ResNet-20/56 (16, 32, 64 channels at 32, 16, 8 pixels; the stride-2 stage entry) and VGG-19 on
 * CIFAR (64 to 512 channels at 32 to 2 pixels), batch 1 and 32, Same padding, no bias, identity.
 * The timed region is the layer's forward pass only: {@code activate(input, false)} on an ND4J
 * array for the dense layer, {@code forward(float[], batch, float[])} for the sparse kernel (the
 * runner's conversions between the two are not in it). Weights are seeded N(0, 1) with each entry
 * zeroed with probability = sparsity; input seeded N(0, 1). {@code variant} DENSE ignores sparsity
 * (oneDNN does the same work for any sparsity); S80..S99 are the sparse kernel at 80..99 %, image by image or
 * batch-interleaved ({@code kernel}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class LayerKernelBenchmark {

    /** {@code in x size x out s stride}: the model layer shapes (kernel 3x3). */
    @Param({"16x32x16s1", "32x16x32s1", "64x8x64s1", "16x32x32s2", "64x32x64s1", "128x16x128s1", "256x8x256s1",
            "512x4x512s1", "512x2x512s1"})
    public String shape;

    /** Images per call. */
    @Param({"1", "32"})
    public int batch;

    /** DENSE, or the sparse kernel at S80, S90, S95, S98, S99 % sparsity. */
    @Param({"DENSE", "S80", "S90", "S95", "S98", "S99"})
    public String variant;

    /**
     * ALL: the sparse kernel on the common pool (2 cores), ND4J with its default threads; ONE: the sparse
     * kernel on the calling thread; run the JVM with {@code OMP_NUM_THREADS=1} so ND4J uses one too.
     */
    @Param({"ALL"})
    public String threads;

    /**
     * VECTOR_API (needs {@code --add-modules jdk.incubator.vector}) or SCALAR: the sparse kernel's inner
     * loop, the alternative tried.
     */
    @Param({"VECTOR_API"})
    public String instructions;

    /**
     * The sparse kernel's {@link ChannelBlocking}: AUTO (blocks of four output channels where they pay), NEVER
     * (one channel at a time, the kernel before blocks) or ALWAYS: the alternative tried.
     */
    @Param({"AUTO"})
    public String blocking;

    /**
     * The sparse kernel: PER_IMAGE ({@link SparseConvolution}, image by image) or BATCHED
     * ({@link BatchedConvolution}, the images of the batch as the vector dimension, NCHW conversions included): the
     * alternative tried on small planes at batch 32.
     */
    @Param({"PER_IMAGE"})
    public String kernel;

    private Layer dense;
    private BatchedConvolution batched;
    private INDArray input;
    private SparseConvolution sparse;
    private float[] inputFloats;
    private float[] output;

    /** Builds the layer or kernel and the seeded input. */
    @Setup
    public void setUp() {
        int[] s = parse(shape);
        int in = s[0];
        int size = s[1];
        int out = s[2];
        int stride = s[3];
        Random random = new Random(42);
        inputFloats = new float[batch * in * size * size];
        for (int i = 0; i < inputFloats.length; i++) {
            inputFloats[i] = (float) random.nextGaussian();
        }
        if ("DENSE".equals(variant)) {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(42)
                    .dataType(DataType.FLOAT).convolutionMode(ConvolutionMode.Same).list()
                    .layer(new FastConvolutionLayer.Builder(3, 3).stride(stride, stride).nOut(out).hasBias(false)
                            .activation(Activation.IDENTITY).build())
                    .setInputType(InputType.convolutional(size, size, in)).build());
            net.init();
            dense = net.getLayer(0);
            input = Nd4j.create(inputFloats, new long[] {batch, in, size, size}, 'c');
            return;
        }
        double sparsity = Integer.parseInt(variant.substring(1)) / 100.0;
        float[] weights = new float[out * in * 9];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = random.nextDouble() < sparsity ? 0f : (float) random.nextGaussian();
        }
        int outSize = (size + stride - 1) / stride;
        int pad = Math.max(0, ((outSize - 1) * stride + 3 - size) / 2);
        ConvolutionShape geometry = new ConvolutionShape(in, size, size, out, 3, 3, stride, stride, pad, pad, outSize,
                outSize);
        KernelThreading threading = "ONE".equals(threads) ? KernelThreading.CALLER_ONLY : KernelThreading.COMMON_POOL;
        if ("BATCHED".equals(kernel)) {
            batched = BatchedConvolution.of(geometry, weights, null, FusedActivation.IDENTITY, threading,
                    KernelInstructions.valueOf(instructions), ChannelBlocking.valueOf(blocking));
        } else {
            sparse = SparseConvolution.of(geometry, weights, null, FusedActivation.IDENTITY, threading,
                    KernelInstructions.valueOf(instructions), ChannelBlocking.valueOf(blocking));
        }
        output = new float[batch * geometry.outputSize()];
    }

    /** @return the layer output (dense) or the output array (sparse), for the JMH sink */
    @Benchmark
    public Object forward() {
        if (dense != null) {
            return dense.activate(input, false, LayerWorkspaceMgr.noWorkspaces());
        }
        if (batched != null) {
            batched.forward(inputFloats, batch, output, null);
        } else {
            sparse.forward(inputFloats, batch, output);
        }
        return output;
    }

    /** @return {@code [in, size, out, stride]} of a shape parameter */
    static int[] parse(String shape) {
        String[] parts = shape.split("[xs]");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
                Integer.parseInt(parts[3])};
    }
}
