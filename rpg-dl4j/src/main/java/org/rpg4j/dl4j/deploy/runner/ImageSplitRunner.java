package org.rpg4j.dl4j.deploy.runner;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.sparse.kernel.CallThreads;
import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * Runs a large batch through {@link SparseRunner}s as blocks of a few images, the batch's images split into one
 * contiguous range per thread, each thread with its own runner running every step on that thread
 * ({@link CallThreads#CALLER}). Made for networks with few channels per layer at large batches (a channel-shrunk
 * ResNet-56 at batch 64): there one {@link SparseRunner} call runs each step over all images before the next step, so
 * each step streams the whole batch's activations through the caches (5-32 channels of 32x32 planes are 1-8 MB per
 * step at 64 images), and splitting each step's images over the threads gained 4 % over the caller alone (the
 * runner's whole-call choice, batch 64, 2 cores, under load). Running the whole network on a block of a few images
 * keeps its activations in the core's own cache, and the threads share nothing but the input and the outputs.
 *
 * <p>A batch of at most {@code blockImages} images is one call of the first runner, with its own choice of threads
 * (as {@link SparseRunner#output}). Each runner chooses its kernels per block size as {@link SparseRunner} does, so
 * the first calls of a batch size calibrate once per thread and per block size (the last block of a range may be
 * shorter). Outputs equal {@link SparseRunner#output} up to float32 rounding (the Java kernels compute each image
 * alone, so they are bit-identical where both runners chose the same kernels). The runners after the first are
 * compiled from clones of the graph, so DL4J fallback steps of different threads never share a layer. The blocks'
 * images and outputs are copied by Java code (float32), not by native ops, which outside the runners' calls would run
 * with the threads' own OpenMP thread counts. Not thread-safe (as {@link SparseRunner}).
 */
public final class ImageSplitRunner {

    private final SparseRunner[] runners;
    private final int blockImages;
    /** The network's number of inputs. */
    private final int networkInputs;
    /**
     * Per runner, per network input, the contiguous array its last block was copied into (reused while the block's
     * shape stays the same): a block handed over as a view of the batch was copied by the runner into a fresh native
     * array per block, garbage that only the garbage collector frees.
     */
    private final INDArray[][] blockInputs;

    private ImageSplitRunner(SparseRunner[] runners, int blockImages, int networkInputs) {
        this.runners = runners;
        this.blockImages = blockImages;
        this.networkInputs = networkInputs;
        this.blockInputs = new INDArray[runners.length][];
    }

    /**
     * @param graph an initialised graph with NCHW convolutions; not modified
     * @param options kernel policy; the threading must be {@link KernelThreading#PER_CALL} or
     *     {@link KernelThreading#CALLER_ONLY} (each runner's steps stay on its thread)
     * @param threads runners, one per thread (the caller's and {@code threads - 1} of the common pool), &ge; 1
     * @param blockImages images per runner call, &ge; 1
     * @return the runner
     * @throws IllegalArgumentException if an argument is null or out of range, or the graph is not initialised
     */
    public static ImageSplitRunner compile(ComputationGraph graph, RunnerOptions options, int threads,
                                           int blockImages) {
        if (graph == null || options == null) {
            throw new IllegalArgumentException("graph and options must not be null");
        }
        if (options.threading() == KernelThreading.COMMON_POOL) {
            throw new IllegalArgumentException("options.threading() must be PER_CALL or CALLER_ONLY (each runner "
                    + "keeps its steps on its own thread), got COMMON_POOL");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (blockImages < 1) {
            throw new IllegalArgumentException("blockImages must be >= 1, got " + blockImages);
        }
        SparseRunner[] runners = new SparseRunner[threads];
        runners[0] = SparseRunner.compile(graph, options);
        for (int t = 1; t < threads; t++) {
            runners[t] = SparseRunner.compile(graph.clone(), options);
        }
        return new ImageSplitRunner(runners, blockImages, graph.getConfiguration().getNetworkInputs().size());
    }

    /** @return runners, one per thread */
    public int threads() {
        return runners.length;
    }

    /** @return images per runner call */
    public int blockImages() {
        return blockImages;
    }

    /**
     * Runs inference.
     *
     * @param inputs one array per network input, each with the batch as dimension 0 (same batch size); not modified
     * @return one array per network output, new arrays, the images in the inputs' order
     * @throws IllegalArgumentException if the inputs are bad (see {@link SparseRunner#output}; the first runner
     *     checks them)
     */
    public INDArray[] output(INDArray... inputs) {
        if (inputs == null || inputs.length != networkInputs || inputs[0] == null || inputs[0].rank() == 0) {
            return runners[0].output(inputs);
        }
        long batch = inputs[0].size(0);
        for (INDArray input : inputs) {
            if (input == null || input.rank() == 0 || input.size(0) != batch) {
                return runners[0].output(inputs);
            }
        }
        if (batch <= blockImages) {
            return runners[0].output(inputs);
        }
        int blocks = (int) ((batch + blockImages - 1) / blockImages);
        int parts = Math.min(runners.length, blocks);
        FloatBuffer[] values = new FloatBuffer[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            values[i] = Tensor.rowMajor(inputs[i]) ? inputs[i].data().asNioFloat() : FloatBuffer.wrap(Tensor.toFloats(
                    inputs[i]));
        }
        List<CompletableFuture<List<INDArray[]>>> others = new ArrayList<>();
        for (int t = 1; t < parts; t++) {
            int part = t;
            others.add(CompletableFuture.supplyAsync(() -> range(part, parts, inputs, values), ForkJoinPool
                    .commonPool()));
        }
        List<INDArray[]> results;
        try {
            results = new ArrayList<>(range(0, parts, inputs, values));
        } catch (RuntimeException e) {
            // the other runners finish before the caller's failure is thrown, so no call overlaps the next one
            for (CompletableFuture<List<INDArray[]>> other : others) {
                try {
                    other.join();
                } catch (CompletionException failed) {
                    e.addSuppressed(failed.getCause());
                }
            }
            throw e;
        }
        for (CompletableFuture<List<INDArray[]>> other : others) {
            results.addAll(join(other));
        }
        return gathered(results, batch);
    }

    /** @return per network output, the blocks' outputs one after the other in one new float array */
    private static INDArray[] gathered(List<INDArray[]> results, long batch) {
        INDArray[] outputs = new INDArray[results.get(0).length];
        for (int o = 0; o < outputs.length; o++) {
            long[] shape = results.get(0)[o].shape().clone();
            shape[0] = batch;
            outputs[o] = Nd4j.create(DataType.FLOAT, shape);
            FloatBuffer target = outputs[o].data().asNioFloat();
            int offset = 0;
            for (INDArray[] result : results) {
                INDArray piece = result[o];
                FloatBuffer source = Tensor.rowMajor(piece) ? piece.data().asNioFloat() : FloatBuffer.wrap(Tensor
                        .toFloats(piece));
                int length = (int) piece.length();
                target.put(offset, source, 0, length);
                offset += length;
            }
        }
        return outputs;
    }

    /**
     * @return the first runner's report (each runner makes its own choices; they are timed alike, so the first stands
     *     for the others)
     */
    public List<LayerChoice> report() {
        return runners[0].report();
    }

    /**
     * Part {@code part} of {@code parts} of the batch, in blocks, on the calling thread with runner {@code part}: each
     * block's images copied from {@code values} (the inputs' row-major values) into the runner's block array by Java
     * code, so that no native op runs outside the runner's calls (outside them a thread's native ops may start OpenMP
     * workers that spin on the cores the other runner needs).
     */
    private List<INDArray[]> range(int part, int parts, INDArray[] inputs, FloatBuffer[] values) {
        long batch = inputs[0].size(0);
        long from = batch * part / parts;
        long to = batch * (part + 1) / parts;
        List<INDArray[]> outputs = new ArrayList<>();
        if (blockInputs[part] == null || blockInputs[part].length != inputs.length) {
            blockInputs[part] = new INDArray[inputs.length];
        }
        INDArray[] block = blockInputs[part];
        for (long start = from; start < to; start += blockImages) {
            long end = Math.min(to, start + blockImages);
            for (int i = 0; i < inputs.length; i++) {
                long[] shape = inputs[i].shape().clone();
                shape[0] = end - start;
                if (block[i] == null || !Arrays.equals(block[i].shape(), shape)) {
                    block[i] = Nd4j.create(DataType.FLOAT, shape);
                }
                int image = (int) (inputs[i].length() / batch);
                block[i].data().asNioFloat().put(0, values[i], (int) start * image, (int) (end - start) * image);
            }
            SparseRunner runner = runners[part];
            outputs.add(KernelThreading.callWith(CallThreads.CALLER, () -> runner.output(block)));
        }
        return outputs;
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }
}
