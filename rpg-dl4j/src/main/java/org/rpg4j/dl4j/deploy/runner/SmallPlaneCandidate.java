package org.rpg4j.dl4j.deploy.runner;

import org.rpg4j.sparse.kernel.ConvolutionShape;
import org.rpg4j.sparse.kernel.FusedActivation;
import org.rpg4j.sparse.kernel.SmallPlaneConvolution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A convolution step's third kernel, {@link SmallPlaneConvolution} (output channels as the vector dimension), for
 * layers with mostly non-zero weights and an output plane of at most {@link #MAX_PLANE} pixels at batch sizes below
 * {@link BatchedCandidate#MIN_BATCH} (from there the batched kernel covers small planes): VGG-19's 4x4 and 2x2 maps
 * at batch 1, where the row kernels' vectors along the plane are mostly empty and oneDNN pays a fixed cost of about
 * 70-90 us per call (shrunk VGG-19 at 70 % removed: 0.85-3.4 M multiply-adds per layer at 9-28 GMAC/s). Where it
 * applies, the first {@link #TIMED_RUNS} sparse runs with a batch size run both this kernel and the per-image sparse
 * kernel, timed, and later ones the faster ({@link KernelKind#SPARSE_SMALL_PLANE} or {@link KernelKind#SPARSE}); the
 * first pair only warms up; {@link KernelRace} times both again at exponentially spaced rechecks. The step's calibration and {@link ChoiceRecheck} then time the chosen one against the
 * dense kernel. Not thread-safe (a step runs on one thread at a time).
 */
final class SmallPlaneCandidate extends SparseCandidate<SmallPlaneConvolution> {

    /**
     * Largest output plane (pixels) for which the kernel is a candidate (4x4). Not 8x8: on ResNet-56's 20-channel 8x8
     * layers at 70 % removed the per-image kernel ran at 7-8 us and this one at 22 us (two 32-lane vectors for 20
     * channels), and under load 8.7 its timing picked this one for 2 of 18 layers.
     */
    static final int MAX_PLANE = 16;
    /** Smallest weight density for which it is a candidate: it multiplies zero weights too. */
    static final double MIN_DENSITY = 0.5;
    /** Sparse runs per batch size that time both kernels (the first pair warms up). */
    static final int TIMED_RUNS = 8;

    private static final Logger LOG = LoggerFactory.getLogger(SmallPlaneCandidate.class);

    private final float[] weights;
    private final float[] bias;
    private final FusedActivation activation;
    private final double density;

    /**
     * @param name the layer name, for the log
     * @param weights folded {@code [out, in, kh, kw]}; read when a kernel is built
     * @param bias folded {@code [out]}
     * @param activation fused activation
     * @param density fraction of non-zero weights
     */
    SmallPlaneCandidate(String name, float[] weights, float[] bias, FusedActivation activation, double density) {
        super(new KernelRace(name, KernelKind.SPARSE_SMALL_PLANE, "small-plane", TIMED_RUNS, LOG));
        this.weights = weights;
        this.bias = bias;
        this.activation = activation;
        this.density = density;
    }

    /**
     * @param shape the convolution at this input size
     * @param batch the batch size
     * @return true if the kernel is a candidate for this layer, shape and batch
     */
    boolean appliesTo(ConvolutionShape shape, int batch) {
        return batch < BatchedCandidate.MIN_BATCH && density >= MIN_DENSITY
                && shape.outHeight() * shape.outWidth() <= MAX_PLANE;
    }

    @Override
    SmallPlaneConvolution build(ConvolutionShape shape) {
        return SmallPlaneConvolution.of(shape, weights, bias, activation);
    }
}
