package org.rpg4j.dl4j.deploy.runner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ImageSplitRunner#calibrate}: per block size tried, settles every runner at the blocks' sizes (the first
 * runner warming the sparse kernels there first, {@link KernelWarmUp}), and (for a runner compiled without a block
 * size) times whole split calls to choose the block size.
 */
final class SplitCalibration {

    /** Block sizes a runner compiled without one chooses among (each thread gets at least one block). */
    static final int[] CANDIDATE_BLOCKS = {2, 4, 8, 16};
    /** Rounds of whole calls, one call per candidate block size each, in rotated order. */
    static final int ROUNDS = 9;
    /** Untimed warm-up calls before the rounds, per candidate. */
    static final int WARM_CALLS = 3;
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
        long start = System.nanoTime();
        for (int block : candidates) {
            for (int images : blockSizes(batch, block)) {
                INDArray[] blockInputs = firstImages(sample, images);
                boolean first = true;
                for (SparseRunner runner : split.runners()) {
                    // the runners share the JIT's code: the first one's warm-up serves them all (KernelWarmUp)
                    runner.calibrate(blockInputs, first);
                    first = false;
                }
            }
        }
        LOG.info("split runner batch {}: block sizes {} warmed and settled in {} ms", batch, candidates,
                (System.nanoTime() - start) / 1_000_000);
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
            Tensor.copyImages(Tensor.rowMajorValues(inputs[i]), image, 0, images, firsts[i]);
        }
        return firsts;
    }
}
