package org.rpg4j.benchmarks.sparse;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.sparse.kernel.ConvolutionShape;

/** What the per-layer CPU-time tools share: libnd4j's dense convolution as a call, and timing a block of calls. */
final class LayerTiming {

    private LayerTiming() {
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
