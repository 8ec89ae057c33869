package org.rpg4j.benchmarks.sparse;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.sparse.kernel.ConvolutionShape;

/**
 * What the per-layer CPU-time tools share: seeded weights and inputs, libnd4j's dense convolution as a call, and
 * timing a block of calls.
 */
final class LayerTiming {

    private LayerTiming() {
    }

    /**
     * @param random the generator, advanced by one {@code nextDouble} per entry and one {@code nextGaussian} per kept
     *     entry
     * @param length entries
     * @param density the probability that an entry is kept, in [0, 1]
     * @return N(0, 1) values where kept, exactly 0.0 elsewhere
     */
    static float[] sparseGaussian(Random random, int length, double density) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            if (random.nextDouble() < density) {
                values[i] = (float) random.nextGaussian();
            }
        }
        return values;
    }

    /**
     * @param random the generator, advanced by one {@code nextGaussian} per entry
     * @param length entries
     * @return N(0, 1) values
     */
    static float[] gaussian(Random random, int length) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    /**
     * @param values weights; not modified
     * @return how many are not 0.0
     */
    static long nonZeros(float[] values) {
        long count = 0;
        for (float v : values) {
            count += v != 0f ? 1 : 0;
        }
        return count;
    }

    /**
     * @param shape a 3x3, stride-1, same-padded convolution
     * @param weights {@code [out, in, 3, 3]} in 'c' order
     * @param input {@code [batch, in, h, w]} in 'c' order
     * @param batch images per call
     * @return one call of libnd4j's {@code conv2d} op on these arrays (output array and op context reused)
     */
    static Runnable libnd4jConvolution(ConvolutionShape shape, float[] weights, float[] input, int batch) {
        INDArray x = Nd4j.create(input, new long[] {batch, shape.inChannels(), shape.inHeight(), shape.inWidth()},
                'c');
        INDArray w = Nd4j.create(weights, new long[] {shape.outChannels(), shape.inChannels(), 3, 3}, 'c');
        INDArray out = Nd4j.create(DataType.FLOAT, batch, shape.outChannels(), shape.outHeight(), shape.outWidth());
        OpContext context = Nd4j.getExecutioner().buildContext();
        long[] conv = {3, 3, 1, 1, 0, 0, 1, 1, 1, 0, 1};
        return () -> {
            context.purge();
            context.setIArguments(conv);
            context.setInputArrays(x, w);
            context.setOutputArrays(out);
            Nd4j.exec(new Conv2D(), context);
        };
    }

    /**
     * A seeded 3x3, stride-1, same-padding convolution of {@code channels} to {@code channels} channels on a square
     * plane, with its weights and one batch of input.
     *
     * @param shape the geometry
     * @param weights {@code [channels, channels, 3, 3]}, Gaussian at the given density
     * @param nonZeros the non-zero weights
     * @param input {@code [batch, channels, size, size]}, Gaussian
     * @param output an array for {@code [batch, channels, size, size]}
     */
    record SquareLayer(ConvolutionShape shape, float[] weights, long nonZeros, float[] input, float[] output) {

        /**
         * @param channels input and output channels
         * @param size plane height and width
         * @param density fraction of non-zero weights
         * @param batch images
         * @return the layer, drawn from {@code new Random(42)} (weights first, then the input)
         */
        static SquareLayer of(int channels, int size, double density, int batch) {
            Random random = new Random(42);
            ConvolutionShape shape = new ConvolutionShape(channels, size, size, channels, 3, 3, 1, 1, 1, 1, size,
                    size);
            float[] weights = sparseGaussian(random, channels * shape.patchSize(), density);
            float[] input = gaussian(random, batch * shape.inputSize());
            return new SquareLayer(shape, weights, LayerTiming.nonZeros(weights), input, new float[batch * shape
                    .outputSize()]);
        }
    }

    /**
     * Times the variants interleaved, block by block: 2 warm-up rounds of {@code warmUpNanos} blocks (longer than the
     * timed ones: until C2 has compiled the Vector API code, on a busy machine it can take seconds, a call runs boxed
     * vectors and takes 100x longer), then {@code rounds} rounds of {@code blockNanos} blocks.
     *
     * @param variants the calls to compare
     * @param rounds timed rounds, each one block of every variant
     * @param warmUpNanos thread CPU time of a warm-up block
     * @param blockNanos thread CPU time of a timed block
     * @param callsPerReading as {@link #cpuNanosPerCall}
     * @return per variant, the fastest timed block's thread CPU nanoseconds per call ({@code Double.MAX_VALUE} if
     *     {@code rounds} is 0)
     */
    static double[] bestCpuNanosPerCall(Runnable[] variants, int rounds, long warmUpNanos, long blockNanos,
                                        int callsPerReading) {
        double[] best = new double[variants.length];
        Arrays.fill(best, Double.MAX_VALUE);
        for (int round = -2; round < rounds; round++) {
            for (int v = 0; v < variants.length; v++) {
                double nanos = cpuNanosPerCall(variants[v], round < 0 ? warmUpNanos : blockNanos, callsPerReading);
                if (round >= 0) {
                    best[v] = Math.min(best[v], nanos);
                }
            }
        }
        return best;
    }

    /**
     * @param call the call to time
     * @param nanos thread CPU time the block should last
     * @param callsPerReading calls between two readings of the thread's CPU clock (a reading costs about a
     *     microsecond)
     * @return thread CPU nanoseconds per call over a block of calls lasting about {@code nanos}
     */
    static double cpuNanosPerCall(Runnable call, long nanos, int callsPerReading) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        int calls = 0;
        long elapsed;
        do {
            for (int i = 0; i < callsPerReading; i++) {
                call.run();
            }
            calls += callsPerReading;
            elapsed = threads.getCurrentThreadCpuTime() - start;
        } while (elapsed < nanos);
        return (double) elapsed / calls;
    }
}
