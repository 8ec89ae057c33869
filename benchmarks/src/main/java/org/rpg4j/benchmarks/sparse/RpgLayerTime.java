package org.rpg4j.benchmarks.sparse;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.layers.onednn.OneDnnInference;
import org.rpg4j.sparse.kernel.BatchedConvolution;
import org.rpg4j.sparse.kernel.ChannelBlocking;
import org.rpg4j.sparse.kernel.ConvolutionShape;
import org.rpg4j.sparse.kernel.FusedActivation;
import org.rpg4j.sparse.kernel.KernelInstructions;
import org.rpg4j.sparse.kernel.KernelThreading;
import org.rpg4j.sparse.kernel.SourceTiling;
import org.rpg4j.sparse.kernel.SparseConvolution;

/**
 * Per-layer thread CPU time of the RPG-pruned VGG-19's convolutions (3x3, stride 1, pad 1) with
 * their own masks: the runner's dense step ({@link OneDnnInference}: oneDNN called directly, ReLU fused), libnd4j's
 * {@code conv2d} (oneDNN through libnd4j, for comparison), the per-image {@link SparseConvolution}, the
 * batch-interleaved {@link BatchedConvolution} untiled ({@link SourceTiling#NEVER}, channel blocks
 * {@link ChannelBlocking#AUTO}) and tiled ({@link SourceTiling#ALWAYS}), NCHW conversions included. One JVM, the
 * variants interleaved in blocks as in {@link SmallPlaneTime}; each variant's fastest block is kept. Everything runs
 * on the calling thread: run with {@code OMP_NUM_THREADS=1}. The last line sums, over the layers, the direct
 * oneDNN time and the fastest of it and every sparse kernel (the convolutions' share of a one-thread call).
 *
 * <pre>OMP_NUM_THREADS=1 java --add-modules jdk.incubator.vector -cp benchmarks.jar \
 *     org.rpg4j.benchmarks.sparse.RpgLayerTime MODEL PERCENT [batch] [rounds]</pre>
 *
 * <p>GMAC/s counts the multiply-adds of non-zero weights (for the op too, so that the columns compare).
 */
public final class RpgLayerTime {
    private static final long BLOCK_NANOS = 20_000_000L;
    private static final long WARM_UP_NANOS = 100_000_000L;

    private RpgLayerTime() {}

    /**
     * @param args model ({@code VGG19}; layer names {@code convS_I}), sparsity in percent (95, 98), batch (32), rounds (3)
     * @throws IOException if the RPG-pruned weights cannot be read
     */
    public static void main(String[] args) throws IOException {
        String model = args[0];
        int percent = Integer.parseInt(args[1]);
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        ComputationGraph graph = RpgPrunedWeights.graph(model, percent / 100.0, true);
        System.out.printf(Locale.ROOT, "%s RPG%d batch %d, OMP_NUM_THREADS=%s, %s, load %.2f at start%n", model,
                percent, batch, System.getenv("OMP_NUM_THREADS"), KernelInstructions.best(), ManagementFactory
                        .getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| layer | c_in -> c_out x size | density | dense oneDNN ms | libnd4j conv2d ms | "
                + "per-image ms | batched ms | tiled ms | oneDNN GMAC/s (non-zero) | best sparse GMAC/s | best | "
                + "min / dense |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|");
        double dense = 0;
        double best = 0;
        for (Layer layer : graph.getLayers()) {
            if (!(layer.conf().getLayer() instanceof ConvolutionLayer)) {
                continue;
            }
            INDArray w = layer.getParam("W");
            int out = (int) w.size(0);
            int in = (int) w.size(1);
            String name = layer.conf().getLayer().getLayerName();
            // VGG-19's layer convS_I works at 32 >> S pixels (a max-pool after every stage)
            int size = 32 >> Character.getNumericValue(name.charAt(4));
            double[] ms = measure(w.dup().data().asFloat(), in, out, size, batch, rounds);
            long nonZeros = LayerTiming.nonZeros(w.dup().data().asFloat());
            double gmacs = (double) batch * nonZeros * size * size / 1e6;
            double sparse = Math.min(ms[1], Math.min(ms[2], ms[3]));
            String[] names = {"dense", "per-image", "batched", "tiled"};
            int winner = 0;
            for (int v = 1; v < 4; v++) {
                winner = ms[v] < ms[winner] ? v : winner;
            }
            dense += ms[0];
            best += ms[winner];
            System.out.printf(Locale.ROOT,
                    "| %s | %d -> %d x %d | %.3f | %.2f | %.2f | %.2f | %.2f | %.2f | %.1f | %.1f | "
                            + "%s | %.2f |%n", name, in, out, size, (double) nonZeros / w
                                    .length(), ms[0], ms[4], ms[1], ms[2], ms[3], gmacs / ms[0], gmacs / sparse,
                    names[winner],
                    ms[winner] / ms[0]);
        }
        System.out.printf(Locale.ROOT, "sum dense %.2f ms, sum of min %.2f ms, ratio %.2fx; load %.2f at end%n", dense,
                best, dense / best, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** @return ms per call: direct oneDNN, per-image, batched untiled, batched tiled, libnd4j conv2d */
    private static double[] measure(float[] weights, int in, int out, int size, int batch, int rounds) {
        ConvolutionShape shape = new ConvolutionShape(in, size, size, out, 3, 3, 1, 1, 1, 1, size, size);
        Random random = new Random(42);
        float[] input = LayerTiming.gaussian(random, batch * shape.inputSize());
        float[] output = new float[batch * shape.outputSize()];
        KernelThreading one = KernelThreading.CALLER_ONLY;
        FusedActivation relu = FusedActivation.RELU;
        KernelInstructions bestSet = KernelInstructions.best();
        SparseConvolution perImage = SparseConvolution.of(shape, weights, null, relu, one, bestSet,
                ChannelBlocking.AUTO);
        BatchedConvolution batched = BatchedConvolution.of(shape, weights, null, relu, one, bestSet,
                ChannelBlocking.AUTO, SourceTiling.NEVER);
        BatchedConvolution tiled = BatchedConvolution.of(shape, weights, null, relu, one, bestSet,
                ChannelBlocking.NEVER, SourceTiling.ALWAYS);
        OneDnnInference direct = OneDnnInference.create(shape, batch, weights, new float[out], true);
        INDArray x = Nd4j.create(input, new long[] {batch, in, size, size}, 'c');
        INDArray y = Nd4j.create(DataType.FLOAT, batch, out, size, size);
        Runnable[] variants = {() -> direct.forward(x, y), () -> perImage.forward(input, batch, output),
                () -> batched.forward(input, batch, output, null), () -> tiled.forward(input, batch, output, null),
                LayerTiming.libnd4jConvolution(shape, weights, input, batch)};
        return Arrays.stream(LayerTiming.bestCpuNanosPerCall(variants, rounds, WARM_UP_NANOS, BLOCK_NANOS, 1)).map(
                nanos -> nanos / 1e6).toArray();
    }
}
