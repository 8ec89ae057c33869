package org.rpg4j.dl4j.deploy.runner;

import org.rpg4j.sparse.kernel.BatchedConvolution;
import org.rpg4j.sparse.kernel.ChannelBlocking;
import org.rpg4j.sparse.kernel.ConvolutionShape;
import org.rpg4j.sparse.kernel.FusedActivation;
import org.rpg4j.sparse.kernel.KernelInstructions;
import org.rpg4j.sparse.kernel.KernelThreading;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A convolution step's second sparse kernel, {@link BatchedConvolution} (the images of the batch as the vector
 * dimension), for small output planes at batch sizes from {@link #MIN_BATCH}: where it applies, the first
 * {@link #TIMED_RUNS} sparse runs with a batch size run both sparse kernels, timed, NCHW conversions included, and
 * the later ones the faster ({@link KernelKind#SPARSE_BATCHED} or {@link KernelKind#SPARSE}), both timed again at
 * {@link KernelRace}'s exponentially spaced rechecks. The step's own
 * calibration then times the chosen sparse kernel against the dense op as before: the timed runs fall within its
 * first call, whose times it does not keep. The first timed pair of a batch size only warms up: the batched
 * kernel's conversion loops may still be interpreted then (the row kernels it shares with the per-image kernel are
 * usually compiled already), which would favour the per-image kernel. Not thread-safe (a step runs on one thread at
 * a time).
 */
final class BatchedCandidate extends SparseCandidate<BatchedConvolution> {

    /** Smallest batch for which the batched kernel is a candidate (below, its vectors are mostly tail). */
    static final int MIN_BATCH = 8;
    /**
     * Largest output plane (pixels) for which it is a candidate: measured faster than the per-image kernel at 2x2
     * and 4x4 (5-40x), about even at 8x8, slower at 16x16 (docs/deployment.md, session 8).
     */
    static final int MAX_PLANE = 64;
    /**
     * Largest output plane (pixels) for which it is a candidate where it sums in cache-sized tiles
     * ({@link BatchedConvolution#tiled}): 16x16 (VGG-19's 128-channel stage; docs/deployment.md, session 9).
     */
    static final int MAX_TILED_PLANE = 256;
    /**
     * Sparse runs per batch size that time both kernels: 2, so that a layer the step's calibration makes sparse
     * without timing (one sparse run per call) has chosen by the third call, where the choice is reported.
     */
    static final int TIMED_RUNS = 2;
    /** Timed runs of each kernel, alternating, per timed sparse run. */
    static final int PAIRS_PER_RUN = 2;

    private static final Logger LOG = LoggerFactory.getLogger(BatchedCandidate.class);

    private final float[] weights;
    private final float[] bias;
    private final FusedActivation activation;
    private final KernelThreading threading;

    /**
     * @param name the layer name, for the log
     * @param weights folded {@code [out, in, kh, kw]}; kept
     * @param bias folded {@code [out]}; kept
     * @param activation fused activation
     * @param threading how the kernel uses threads
     */
    BatchedCandidate(String name, float[] weights, float[] bias, FusedActivation activation,
                     KernelThreading threading) {
        super(new KernelRace(name, KernelKind.SPARSE_BATCHED, "batched sparse", TIMED_RUNS * PAIRS_PER_RUN, LOG));
        this.weights = weights;
        this.bias = bias;
        this.activation = activation;
        this.threading = threading;
    }

    /**
     * @param shape the convolution at this input size
     * @param batch the batch size
     * @return true if the batched kernel is a candidate for this shape and batch
     */
    static boolean applies(ConvolutionShape shape, int batch) {
        return batch >= MIN_BATCH && shape.outHeight() * shape.outWidth() <= MAX_PLANE;
    }

    /**
     * @param shape the convolution at this input size
     * @param batch the batch size
     * @return true if the batched kernel is a candidate for this layer, shape and batch: {@link #applies}, or a
     *     plane up to {@link #MAX_TILED_PLANE} pixels on which the kernel tiles
     */
    boolean appliesTo(ConvolutionShape shape, int batch) {
        return applies(shape, batch) || batch >= MIN_BATCH && shape.outHeight() * shape.outWidth() <= MAX_TILED_PLANE
                && kernel(shape).tiled(batch);
    }

    @Override
    BatchedConvolution build(ConvolutionShape shape) {
        return BatchedConvolution.of(shape, weights, bias, activation, threading, KernelInstructions.best(),
                ChannelBlocking.AUTO);
    }
}
