package org.rpg4j.dl4j.layers;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.sparse.kernel.ConvolutionShape;
import org.rpg4j.sparse.kernel.FusedActivation;
import org.rpg4j.sparse.kernel.KernelThreading;
import org.rpg4j.sparse.kernel.SparseConvolution;
import org.rpg4j.tensor.HostAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference-mode kernel choice of {@link FastConvolutionLayerImpl}, per input shape: libnd4j's
 * {@code conv2d} op (oneDNN) or rpg4j's Java kernel ({@link SparseConvolution}, which at density 1 is a dense
 * direct convolution with the Vector API, its activation fused).
 *
 * <p>Why: at batch 1 a {@code conv2d} call costs about 140 us besides its arithmetic (libnd4j's per-call
 * set-up of the oneDNN convolution; docs/structured.md), more than the arithmetic of a small layer of a shrunk
 * network; the Java kernel has no per-call set-up. Which is faster depends on the shape and the machine, so
 * under {@link Choice#MEASURED} the first {@value #CALIBRATION_CALLS} calls with an input shape
 * time both, {@value #CALIBRATION_RUNS} times each, alternating, and the kernel with the fastest wall time over
 * all those runs is kept (the fastest run is the least disturbed by other processes and the JIT). When ND4J
 * runs on one thread ({@code OMP_NUM_THREADS=1}) both kernels run on the calling thread and are timed by its
 * CPU clock instead: on a busy machine a run of a few milliseconds is almost always preempted, and wall times
 * then choose at random (measured: a 4x slower Java kernel chosen for ResNet-56 at batch 64). Calls of more than {@value #MAX_MEASURED_MACS} multiply-adds keep the
 * op without timing (the Java kernel is several times slower per multiply-add: it only wins on small calls).
 *
 * <p>The compiled Java kernel is keyed on the weights' and bias' values: every Java-path call reads them
 * from host memory and compares them with the values it was compiled from, so a changed parameter (an
 * updater step, {@code setParams}, an in-place edit, a pruning mask) recompiles it before use.
 *
 * <p>The default is {@link Choice#NATIVE}: a choice made by timing depends on the machine's load, and the two
 * kernels round differently (in the last bits), so under {@code MEASURED} two instances of one network, or the
 * calibration calls and the later calls of one instance, can give outputs that differ in the last bits; the
 * sparse model format promises outputs identical to the original network's. {@code MEASURED} is opt-in, for
 * deployments that value the batch-1 speed of small layers over bit-identical outputs. The system property
 * {@value #PROPERTY} ({@code native}, {@code measured} or {@code java}) chooses; it is read at every call. Not
 * thread-safe, like the layer.
 */
final class ConvolutionInference {

    /** The system property that forces a {@link Choice}. */
    static final String PROPERTY = "rpg4j.convolutionInference";
    /** Calls above this many multiply-adds always take the op, without timing. */
    static final long MAX_MEASURED_MACS = 32_000_000L;
    /** Timed runs of each kernel per calibration. */
    static final int CALIBRATION_RUNS = 2;
    /** Calls with an input shape that time both kernels; the decision after the last is final. */
    static final int CALIBRATION_CALLS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(ConvolutionInference.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Per thread, the Java kernel's input (slot 0) and output (slot 1) copies by length ({@link #scratch}). */
    private static final ThreadLocal<Map<Long, float[]>> SCRATCH = ThreadLocal.withInitial(HashMap::new);

    /** Which kernel runs an inference-mode convolution. */
    enum Choice {
        /** The faster of the two, timed at the first calls with an input shape (opt-in). */
        MEASURED,
        /** Always libnd4j's {@code conv2d} op (the default). */
        NATIVE,
        /** The Java kernel wherever it applies. */
        JAVA;

        /**
         * @return the choice the system property {@value ConvolutionInference#PROPERTY} asks for (NATIVE if unset)
         * @throws IllegalArgumentException if the property holds another value
         */
        static Choice current() {
            String value = System.getProperty(PROPERTY, "native");
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("system property " + PROPERTY
                        + " must be 'measured', 'native' or 'java', got '" + value + "'", e);
            }
        }
    }

    /** The decision, the number of calls and the fastest times so far for one input shape {@code [n, c, h, w]}. */
    private static final class ShapeState {
        int calls;
        boolean java;
        long javaBest = Long.MAX_VALUE;
        long nativeBest = Long.MAX_VALUE;
    }

    private final Map<Long, SparseConvolution> kernels = new HashMap<>();
    private final Map<Long, ShapeState> states = new HashMap<>();
    private float[] weightValues = new float[0];
    private float[] biasValues;
    private float[] reading = new float[0];
    private long compilations;

    /**
     * @param convolutionMode the layer's mode
     * @param dilated whether the kernel is dilated
     * @param arrays the input, weights and (if any) bias
     * @return true if the Java kernel can compute this call: Same, Truncate or Strict mode, no dilation,
     *     float32 arrays contiguous in host memory
     */
    static boolean applicable(ConvolutionMode convolutionMode, boolean dilated, INDArray... arrays) {
        if (dilated || convolutionMode == ConvolutionMode.Causal) {
            return false;
        }
        for (INDArray a : arrays) {
            if (a.dataType() != DataType.FLOAT || !HostAccess.hostPointer(a) || !HostAccess.isCContiguous(a.shape(),
                    a.stride()) || a.length() > Integer.MAX_VALUE) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param shape the geometry for this input
     * @param batch images in the call
     * @param choice the forced or measured choice
     * @param javaRun computes the output with the Java kernel
     * @param nativeRun computes the output with the op
     * @return the output of the kernel chosen for this input shape
     */
    INDArray output(ConvolutionShape shape, int batch, Choice choice, Supplier<INDArray> javaRun,
                    Supplier<INDArray> nativeRun) {
        if (choice == Choice.JAVA) {
            return javaRun.get();
        }
        if (choice == Choice.NATIVE || (long) batch * shape.denseMultiplyAdds() > MAX_MEASURED_MACS) {
            return nativeRun.get();
        }
        long key = ((long) batch << 40) ^ ((long) shape.inHeight() << 20) ^ shape.inWidth();
        ShapeState state = states.computeIfAbsent(key, k -> new ShapeState());
        state.calls++;
        if (state.calls <= CALIBRATION_CALLS) {
            return calibrate(shape, batch, state, javaRun, nativeRun);
        }
        return state.java ? javaRun.get() : nativeRun.get();
    }

    /**
     * Runs the Java kernel: the weights are compared with those of the compiled kernel (recompiled if they
     * differ), the input copied to a Java array, the output copied into {@code out}.
     *
     * @param shape the geometry for this input
     * @param x {@code [batch, inChannels, h, w]}, accepted by {@link #applicable}; not modified
     * @param weights {@code [out, in, kh, kw]}, accepted by {@link #applicable}; not modified
     * @param bias {@code [out]} (any vector shape), or null; not modified
     * @param activation the activation fused into the kernel
     * @param out {@code [batch, outChannels, oh, ow]}, contiguous float32 in host memory; overwritten
     */
    void runJava(ConvolutionShape shape, INDArray x, INDArray weights, INDArray bias, FusedActivation activation,
                 INDArray out) {
        boolean changed = readParameters(weights, bias);
        if (changed) {
            kernels.clear();
        }
        long key = ((long) shape.inHeight() << 32) | shape.inWidth();
        SparseConvolution kernel = kernels.get(key);
        if (kernel == null || !kernel.shape().equals(shape)) {
            kernel = SparseConvolution.of(shape, weightValues, biasValues, activation, singleThreaded()
                    ? KernelThreading.CALLER_ONLY : KernelThreading.COMMON_POOL);
            kernels.put(key, kernel);
            compilations++;
        }
        int batch = (int) x.size(0);
        float[] input = scratch(0, (int) x.length());
        ChannelKernels.floats(x).get(0, input);
        float[] output = scratch(1, batch * shape.outputSize());
        kernel.forward(input, batch, output);
        ChannelKernels.floats(out).put(0, output);
    }

    /**
     * @param slot 0 for the input, 1 for the output
     * @param length the exact length the kernel needs
     * @return the calling thread's array of that slot and length (reused by every layer's calls with that
     *     length: the Java kernel's input and output copies allocate nothing after the first call of a shape)
     */
    private static float[] scratch(int slot, int length) {
        return SCRATCH.get().computeIfAbsent(((long) slot << 32) | length, k -> new float[length]);
    }

    /** @return how many times the Java kernel was compiled (for tests: unchanged weights compile nothing) */
    long compilations() {
        return compilations;
    }

    private INDArray calibrate(ConvolutionShape shape, int batch, ShapeState state, Supplier<INDArray> javaRun,
                               Supplier<INDArray> nativeRun) {
        INDArray javaOut = null;
        INDArray nativeOut = null;
        boolean cpuClock = singleThreaded() && THREADS.isCurrentThreadCpuTimeSupported();
        for (int r = 0; r < CALIBRATION_RUNS; r++) {
            long start = now(cpuClock);
            javaOut = javaRun.get();
            long middle = now(cpuClock);
            nativeOut = nativeRun.get();
            long end = now(cpuClock);
            // the fastest of all runs so far: another process can only make a run slower, the JIT only faster
            state.javaBest = Math.min(state.javaBest, middle - start);
            state.nativeBest = Math.min(state.nativeBest, end - middle);
        }
        state.java = state.javaBest < state.nativeBest;
        LOG.debug("convolution {} batch {}: Java kernel {} us, conv2d op {} us, call {}: {}", shape, batch,
                state.javaBest / 1000, state.nativeBest / 1000, state.calls, state.java ? "Java kernel" : "conv2d op");
        return state.java ? javaOut : nativeOut;
    }

    /**
     * @return true if ND4J runs its ops on the calling thread only ({@code OMP_NUM_THREADS=1}): then both kernels
     *     run there (the Java kernel is kept on it too) and are timed by the thread's CPU clock, which other
     *     processes on a busy machine do not advance
     */
    static boolean singleThreaded() {
        return Nd4j.getEnvironment().maxThreads() == 1;
    }

    private static long now(boolean cpuClock) {
        return cpuClock ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** @return true if the weights or the bias differ from the values the kernels were compiled from */
    private boolean readParameters(INDArray weights, INDArray bias) {
        int length = (int) weights.length();
        if (reading.length != length) {
            reading = new float[length];
        }
        ChannelKernels.floats(weights).get(0, reading);
        boolean changed = !Arrays.equals(reading, weightValues);
        if (changed) {
            float[] previous = weightValues;
            weightValues = reading;
            reading = previous;
        }
        float[] biasNow = null;
        if (bias != null) {
            biasNow = new float[(int) bias.length()];
            ChannelKernels.floats(bias).get(0, biasNow);
        }
        if (!Arrays.equals(biasNow, biasValues)) {
            biasValues = biasNow;
            changed = true;
        }
        return changed;
    }
}
