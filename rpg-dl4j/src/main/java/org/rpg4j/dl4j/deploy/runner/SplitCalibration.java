package org.rpg4j.dl4j.deploy.runner;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.sparse.kernel.CallThreads;
import org.rpg4j.sparse.kernel.KernelThreading;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ImageSplitRunner#calibrate}: per block size tried, warms the sparse kernels at the blocks' sizes, settles
 * every runner there, and (for a runner compiled without a block size) times whole split calls to choose the block
 * size.
 *
 * <p>Why the warm-up: a runner times a layer's kernels at its first calls with a batch size, and rechecks them a few
 * times; a Java kernel whose code path no other layer has run yet is timed before the JIT compiles it, and the
 * Vector API runs 100-1000x slower uncompiled. On a ResNet-56 with 70 % of its channels removed, at blocks of 4
 * images, the 1x1 stride-2 projection 10->20 (the only layer with an 8x8 output plane from a strided 1x1 kernel)
 * timed its sparse kernel at 5.8-6.3 ms against oneDNN's 0.03-0.27 ms, kept oneDNN even after settling on medians of
 * warm runs (the sparse kernel, no longer run, never got compiled), and ran it at 0.04-0.17 ms per block where the
 * compiled sparse kernel takes 0.005-0.010 ms (docs/structured.md, session 14). A runner under {@link
 * KernelPolicy#SPARSE} run at the block size first compiles every sparse path the runners will time.
 */
final class SplitCalibration {

    /** Block sizes a runner compiled without one chooses among (each thread gets at least one block). */
    static final int[] CANDIDATE_BLOCKS = {2, 4, 8, 16};
    /** Rounds of whole calls, one call per candidate block size each, in rotated order. */
    static final int ROUNDS = 9;
    /** Untimed warm-up calls before the rounds, per candidate. */
    static final int WARM_CALLS = 3;
    /** The warm-up stops after this many calls without a call 5 % faster than the fastest so far... */
    static final int WARM_PATIENCE_CALLS = 30;
    /** ... and at least this long without one (ms): a large method's compilation takes a while under load. */
    static final long WARM_PATIENCE_MILLIS = 200;
    /**
     * The warm-up stops after this many calls or this long (ms) in any case: 200 calls compiled the cold kernel above,
     * 50 did not; under load 4-6 an unbounded warm-up (up to 600 calls) made the calibration of the 50 % network at
     * batch 64 take 36 s.
     */
    static final int WARM_MAX_CALLS = 200;
    static final long WARM_MAX_MILLIS = 3000;

    private static final Logger LOG = LoggerFactory.getLogger(SplitCalibration.class);

    private SplitCalibration() {
    }

    /**
     * @param split the runner to settle
     * @param sample checked inputs
     * @param batch their batch size
     * @return the block size to use at that batch size
     */
    static int calibrate(ImageSplitRunner split, INDArray[] sample, int batch) {
        List<Integer> candidates = candidates(split.fixedBlock(), batch, split.threads());
        long warming = 0;
        long start = System.nanoTime();
        for (int block : candidates) {
            for (int images : blockSizes(batch, block)) {
                INDArray[] blockInputs = firstImages(sample, images);
                long warmStart = System.nanoTime();
                warm(split, blockInputs);
                warming += System.nanoTime() - warmStart;
                for (SparseRunner runner : split.runners()) {
                    runner.calibrate(blockInputs);
                }
            }
        }
        LOG.info("split runner batch {}: block sizes {} warmed in {} ms, settled in {} ms", batch, candidates,
                warming / 1_000_000, (System.nanoTime() - start - warming) / 1_000_000);
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        double[] medians = medians(split, sample, candidates);
        int best = 0;
        for (int c = 1; c < candidates.size(); c++) {
            if (medians[c] < medians[best]) {
                best = c;
            }
        }
        StringBuilder times = new StringBuilder();
        for (int c = 0; c < candidates.size(); c++) {
            times.append(String.format(Locale.ROOT, " %d: %.3f ms", candidates.get(c), medians[c]));
        }
        LOG.info("split runner batch {}: block of {} images (medians of {} calls per block size:{})", batch,
                candidates.get(best), ROUNDS, times);
        return candidates.get(best);
    }

    /**
     * @return the block sizes to try: the fixed one, else the candidates with at least one block per thread (the
     *     smallest candidate at least, a plain call of the first runner if it holds the whole batch)
     */
    static List<Integer> candidates(int fixedBlock, int batch, int threads) {
        if (fixedBlock > 0) {
            return List.of(fixedBlock);
        }
        List<Integer> candidates = new ArrayList<>();
        for (int block : CANDIDATE_BLOCKS) {
            if ((long) block * threads <= batch || candidates.isEmpty()) {
                candidates.add(block);
            }
        }
        return candidates;
    }

    /** @return the distinct sizes of a batch's blocks (the batch itself if it is one block) */
    static TreeSet<Integer> blockSizes(int batch, int block) {
        TreeSet<Integer> sizes = new TreeSet<>();
        if (batch <= block) {
            sizes.add(batch);
        } else {
            sizes.add(block);
            if (batch % block != 0) {
                sizes.add(batch % block);
            }
        }
        return sizes;
    }

    /**
     * Runs the blocks under {@link KernelPolicy#SPARSE} on the caller until the calls stop getting faster, so that the
     * runners' timing sees compiled kernels.
     */
    private static void warm(ImageSplitRunner split, INDArray[] blockInputs) {
        SparseRunner warm = SparseRunner.compile(split.graph(), split.options().withPolicy(KernelPolicy.SPARSE));
        long fastest = Long.MAX_VALUE;
        int callsSince = 0;
        long first = System.nanoTime();
        long since = first;
        for (int call = 0; call < WARM_MAX_CALLS && System.nanoTime() - first < WARM_MAX_MILLIS * 1_000_000L; call++) {
            long start = System.nanoTime();
            KernelThreading.callWith(CallThreads.CALLER, () -> warm.output(blockInputs));
            long end = System.nanoTime();
            if (end - start < fastest * 0.95) {
                fastest = end - start;
                callsSince = 0;
                since = end;
            } else if (++callsSince >= WARM_PATIENCE_CALLS && end - since >= WARM_PATIENCE_MILLIS * 1_000_000L) {
                return;
            }
        }
    }

    /** @return per candidate, the median time (ms) of its whole calls, timed in interleaved rounds */
    private static double[] medians(ImageSplitRunner split, INDArray[] sample, List<Integer> candidates) {
        for (int block : candidates) {
            for (int call = 0; call < WARM_CALLS; call++) {
                split.run(sample, block);
            }
        }
        double[][] millis = new double[candidates.size()][ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < candidates.size(); i++) {
                int c = (i + round) % candidates.size();
                long start = System.nanoTime();
                split.run(sample, candidates.get(c));
                millis[c][round] = (System.nanoTime() - start) / 1e6;
            }
        }
        double[] medians = new double[candidates.size()];
        for (int c = 0; c < medians.length; c++) {
            Arrays.sort(millis[c]);
            medians[c] = millis[c][ROUNDS / 2];
        }
        return medians;
    }

    /** @return the first {@code images} images of each input, as new float32 row-major arrays */
    static INDArray[] firstImages(INDArray[] inputs, int images) {
        INDArray[] firsts = new INDArray[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            long[] shape = inputs[i].shape().clone();
            int image = (int) (inputs[i].length() / shape[0]);
            shape[0] = images;
            firsts[i] = Nd4j.create(DataType.FLOAT, shape);
            FloatBuffer values = Tensor.rowMajor(inputs[i]) ? inputs[i].data().asNioFloat() : FloatBuffer.wrap(
                    Tensor.toFloats(inputs[i]));
            firsts[i].data().asNioFloat().put(0, values, 0, images * image);
        }
        return firsts;
    }
}
