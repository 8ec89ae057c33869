package org.rpg4j.benchmarks.onednn;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.rpg4j.dl4j.layers.onednn.OneDnnInference;
import org.rpg4j.sparse.kernel.ConvolutionShape;

/**
 * How the deployment runner's dense convolution steps should use two cores with oneDNN's inference primitive
 * ({@link OneDnnInference}): per VGG-style 3x3 layer (64 channels at 32x32, 128 at 16x16, 256 at 8x8) and batch
 * size (32 and 1), interleaved per round: libnd4j's {@code conv2d} op with one OpenMP thread, the primitive as one
 * call with two and with one OpenMP thread, and (batch 32) two half-batch primitives on two Java threads with one
 * OpenMP thread each (the runner's {@code NativeThreading.JAVA_THREADS} split). Printed: median and fastest wall
 * time per call of each. The OpenMP counts are set per thread through libnd4j's {@code setOmpNumThreads}, which
 * reaches oneDNN too (the dnnl preset's {@code libdnnl.so.2} links {@code libgomp.so.1}, loaded once); oneDNN
 * reads the count when it creates a primitive and keeps it, so each case has its own primitives, created under
 * its count.
 *
 * <p>Usage: {@code InferenceThreading [rounds]} (default 20).
 */
public final class InferenceThreading {

    private static final int WARM_UP = 3;
    private static final int[][] LAYERS = {{64, 32}, {128, 16}, {256, 8}};

    private InferenceThreading() {
    }

    /**
     * @param args rounds (optional)
     * @throws Exception if a split call fails
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Nd4j.zeros(1);
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            for (int[] layer : LAYERS) {
                for (int batch : new int[] {32, 1}) {
                    measure(ops, pool, layer[0], layer[1], batch, rounds);
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void measure(NativeOps ops, ExecutorService pool, int channels, int size, int batch, int rounds)
            throws Exception {
        ConvolutionShape shape = new ConvolutionShape(channels, size, size, channels, 3, 3, 1, 1, 1, 1, size, size);
        Random random = new Random(1);
        float[] weights = new float[channels * channels * 9];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) random.nextGaussian();
        }
        float[] bias = new float[channels];
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, channels, size, size);
        INDArray y = Nd4j.create(DataType.FLOAT, batch, channels, size, size);
        INDArray w = Nd4j.create(weights, new long[] {channels, channels, 3, 3}, 'c');
        INDArray b = Nd4j.create(bias, new long[] {channels}, 'c');
        OpContext context = Nd4j.getExecutioner().buildContext();
        // oneDNN fixes a primitive's OpenMP thread count when it creates it (the count at the call does not matter)
        ops.setOmpNumThreads(1);
        OneDnnInference single = OneDnnInference.create(shape, batch, weights, bias, true);
        ops.setOmpNumThreads(2);
        OneDnnInference whole = OneDnnInference.create(shape, batch, weights, bias, true);
        ops.setOmpNumThreads(1);
        int half = Math.max(1, batch / 2);
        OneDnnInference first = OneDnnInference.create(shape, half, weights, bias, true);
        OneDnnInference second = OneDnnInference.create(shape, half, weights, bias, true);
        INDArray x0 = images(x, 0, half);
        INDArray x1 = images(x, half, half);
        INDArray y0 = images(y, 0, half);
        INDArray y1 = images(y, half, half);
        double[][] times = new double[4][rounds];
        for (int r = -WARM_UP; r < rounds; r++) {
            ops.setOmpNumThreads(1);
            long t0 = System.nanoTime();
            context.purge();
            context.setIArguments(3, 3, 1, 1, 1, 1, 1, 1, 1, 0, 1);
            context.setInputArrays(x, w, b);
            context.setOutputArrays(y);
            Nd4j.exec(new Conv2D(), context);
            long t1 = System.nanoTime();
            single.forward(x, y);
            long t2 = System.nanoTime();
            ops.setOmpNumThreads(2);
            whole.forward(x, y);
            long t3 = System.nanoTime();
            ops.setOmpNumThreads(1);
            if (batch > 1) {
                Future<?> other = pool.submit(() -> {
                    ops.setOmpNumThreads(1);
                    second.forward(x1, y1);
                });
                first.forward(x0, y0);
                other.get();
            }
            long t4 = System.nanoTime();
            if (r >= 0) {
                times[0][r] = (t1 - t0) / 1e6;
                times[1][r] = (t2 - t1) / 1e6;
                times[2][r] = (t3 - t2) / 1e6;
                times[3][r] = (t4 - t3) / 1e6;
            }
        }
        for (double[] t : times) {
            Arrays.sort(t);
        }
        System.out.printf(Locale.ROOT, "%d ch %dx%d batch %d, ms median (min): libnd4j conv2d 1 thread %.2f (%.2f); "
                + "oneDNN 1 call 1 thread %.2f (%.2f), 1 call 2 OpenMP threads %.2f (%.2f)%s%n", channels, size, size,
                batch, times[0][rounds / 2], times[0][0], times[1][rounds / 2], times[1][0], times[2][rounds / 2],
                times[2][0], batch > 1 ? String.format(Locale.ROOT, ", 2 Java threads x 1 %.2f (%.2f)",
                        times[3][rounds / 2], times[3][0]) : "");
    }

    /** Images {@code [from, from + count)} of a row-major NCHW array, sharing its buffer. */
    private static INDArray images(INDArray array, long from, long count) {
        long[] shape = array.shape().clone();
        long step = array.length() / shape[0];
        shape[0] = count;
        return Nd4j.create(array.data(), shape, Nd4j.getStrides(shape, 'c'), from * step, 'c');
    }
}
