package org.rpg4j.dl4j.deploy.runner;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.sparse.kernel.CallThreads;
import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * Runs a large batch through {@link SparseRunner}s as blocks of a few images, each thread with its own runner running
 * every step on that thread ({@link CallThreads#CALLER}), the threads taking the batch's blocks one after the other
 * from a shared counter (so a thread that starts late or is slowed down takes fewer blocks). Made for networks with few
 * channels per layer at large batches (a channel-shrunk ResNet-56 at batch 64): there one {@link SparseRunner} call
 * runs each step over all images before the next step, so each step streams the whole batch's activations through the
 * caches (5-32 channels of 32x32 planes are 1-8 MB per step at 64 images), and splitting each step's images over the
 * threads gained 4 % over the caller alone (the runner's whole-call choice, batch 64, 2 cores, under load). Running the
 * whole network on a block of a few images keeps its activations in the core's own cache, and the threads share nothing
 * but the input and the outputs.
 *
 * <p>A batch of at most one block is one call of the first runner, with its own choice of threads (as {@link
 * SparseRunner#output}). Each runner chooses its kernels per block size as {@link SparseRunner} does, so the first
 * calls of a batch size calibrate once per thread and per block size (the last block may be shorter); {@link
 * #calibrate} settles them at once and, for a runner compiled without a block size, chooses the block size per batch
 * size by timing whole calls. A thread of the pool that has not started when the caller has run every block is not
 * waited for (its task finds no block left). Outputs equal {@link SparseRunner#output} up to float32 rounding (the Java
 * kernels compute each image alone, so they are bit-identical where both runners chose the same kernels). The runners
 * after the first are compiled from clones of the graph, so DL4J fallback steps of different threads never share a
 * layer. The blocks' images and outputs are copied by Java code (float32), not by native ops, which outside the
 * runners' calls would run with the threads' own OpenMP thread counts. Not thread-safe (as {@link SparseRunner}).
 */
public final class ImageSplitRunner {

    /** Images per block of a runner compiled without a block size, until {@link #calibrate} chooses. */
    static final int DEFAULT_BLOCK = 4;

    private final SparseRunner[] runners;
    /** The block size asked for at compile time, or 0: chosen per batch size by {@link #calibrate}. */
    private final int fixedBlock;
    /** The graph and options the runners were compiled from ({@link SplitCalibration} compiles warm-up runners). */
    private final ComputationGraph graph;
    private final RunnerOptions options;
    /** Per batch size, the block size {@link #calibrate} chose (measured runners only). */
    private final Map<Integer, Integer> chosenBlocks = new HashMap<>();
    /** The network's number of inputs. */
    private final int networkInputs;
    /**
     * Per runner, per network input, the contiguous array its last block was copied into (reused while the block's
     * shape stays the same): a block handed over as a view of the batch was copied by the runner into a fresh native
     * array per block, garbage that only the garbage collector frees.
     */
    private final List<Map<Integer, INDArray[]>> blockInputs = new ArrayList<>();

    private ImageSplitRunner(SparseRunner[] runners, int fixedBlock, ComputationGraph graph, RunnerOptions options) {
        this.runners = runners;
        this.fixedBlock = fixedBlock;
        this.graph = graph;
        this.options = options;
        this.networkInputs = graph.getConfiguration().getNetworkInputs().size();
        for (int t = 0; t < runners.length; t++) {
            blockInputs.add(new HashMap<>());
        }
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
        if (blockImages < 1) {
            throw new IllegalArgumentException("blockImages must be >= 1, got " + blockImages);
        }
        return compileRunners(graph, options, threads, blockImages);
    }

    /**
     * As {@link #compile(ComputationGraph, RunnerOptions, int, int)}, the block size chosen per batch size by {@link
     * #calibrate} among {@link SplitCalibration#CANDIDATE_BLOCKS} ({@value #DEFAULT_BLOCK} images until then). Not yet
     * trusted: on the 70 %-shrunk ResNet-56 at batch 64 one JMH run (under load) chose blocks of 16 and then took 39 ms
     * per call where blocks of 4 took 8.5 ms in other JVMs, although blocks of 16 took 9.6 ms against 9.2 in another
     * JVM (docs/structured.md, session 14); the benchmarks keep a fixed block of 4.
     *
     * @param graph an initialised graph with NCHW convolutions; not modified
     * @param options kernel policy; the threading must be {@link KernelThreading#PER_CALL} or
     *     {@link KernelThreading#CALLER_ONLY}
     * @param threads runners, one per thread, &ge; 1
     * @return the runner
     * @throws IllegalArgumentException if an argument is null or out of range, or the graph is not initialised
     */
    public static ImageSplitRunner compile(ComputationGraph graph, RunnerOptions options, int threads) {
        return compileRunners(graph, options, threads, 0);
    }

    private static ImageSplitRunner compileRunners(ComputationGraph graph, RunnerOptions options, int threads,
                                                   int fixedBlock) {
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
        SparseRunner[] runners = new SparseRunner[threads];
        runners[0] = SparseRunner.compile(graph, options);
        for (int t = 1; t < threads; t++) {
            runners[t] = SparseRunner.compile(graph.clone(), options);
        }
        return new ImageSplitRunner(runners, fixedBlock, graph, options);
    }

    /** @return runners, one per thread */
    public int threads() {
        return runners.length;
    }

    /**
     * @return images per runner call asked for at compile time, or for a runner compiled without a block size
     *     {@value #DEFAULT_BLOCK} (the block of batch sizes {@link #calibrate} has not seen)
     */
    public int blockImages() {
        return fixedBlock > 0 ? fixedBlock : DEFAULT_BLOCK;
    }

    /**
     * @param batch a batch size, &ge; 1
     * @return images per runner call at that batch size: the compile-time block size, else the one {@link
     *     #calibrate} chose, else {@value #DEFAULT_BLOCK}
     */
    public int blockImages(int batch) {
        return fixedBlock > 0 ? fixedBlock : chosenBlocks.getOrDefault(batch, DEFAULT_BLOCK);
    }

    /**
     * Settles the sample's batch size at once, as a deployer does before serving: for each block size tried (the
     * compile-time one, else every one of {@link SplitCalibration#CANDIDATE_BLOCKS} that gives each thread at least
     * one block), the sparse kernels are first run untimed until their calls stop getting faster (so that no kernel
     * is timed before the JIT has compiled it), then every runner settles its kernels at the blocks' sizes ({@link
     * SparseRunner#calibrate}); a runner compiled without a block size then times whole calls of each candidate in
     * interleaved rounds and keeps the block size of the smallest median. After it {@link #output} times nothing at
     * that batch size.
     *
     * @param sampleInputs inputs of the batch size to settle, as for {@link #output}; not modified
     * @return the block size used at that batch size from now on
     * @throws IllegalArgumentException if the inputs are bad (see {@link SparseRunner#output})
     */
    public int calibrate(INDArray... sampleInputs) {
        int batch = checkedBatch(sampleInputs);
        int block = SplitCalibration.calibrate(this, sampleInputs, batch);
        if (fixedBlock == 0) {
            chosenBlocks.put(batch, block);
        }
        return block;
    }

    /** @return the batch size of the inputs, checked as {@link SparseRunner#output} checks them */
    private int checkedBatch(INDArray[] inputs) {
        if (inputs == null || inputs.length != networkInputs) {
            throw new IllegalArgumentException("sampleInputs must hold " + networkInputs + " array(s), one per "
                    + "network input, got " + (inputs == null ? "null" : inputs.length));
        }
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null || inputs[i].rank() == 0 || inputs[i].size(0) != inputs[0].size(0)) {
                throw new IllegalArgumentException("sampleInputs[" + i + "] must be an array with the batch as "
                        + "dimension 0, the same for every input, got " + (inputs[i] == null ? "null"
                                : Arrays.toString(inputs[i].shape())));
            }
        }
        return (int) inputs[0].size(0);
    }

    /** @return the block size fixed at compile time, 0 if chosen per batch size */
    int fixedBlock() {
        return fixedBlock;
    }

    /** @return the runners, one per thread (the first runs on the caller) */
    SparseRunner[] runners() {
        return runners;
    }

    /** @return the graph the first runner was compiled from, and the options */
    ComputationGraph graph() {
        return graph;
    }

    RunnerOptions options() {
        return options;
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
        return run(inputs, blockImages((int) batch));
    }

    /**
     * {@link #output} of checked inputs with {@code block} images per block: the first runner's plain call for a
     * batch of at most one block, else the blocks taken from a shared counter by the caller and {@code threads - 1}
     * tasks of the common pool ({@link ParallelParts}).
     */
    INDArray[] run(INDArray[] inputs, int block) {
        long batch = inputs[0].size(0);
        if (batch <= block) {
            return runners[0].output(inputs);
        }
        int blocks = (int) ((batch + block - 1) / block);
        int parts = Math.min(runners.length, blocks);
        FloatBuffer[] values = new FloatBuffer[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            values[i] = Tensor.rowMajorValues(inputs[i]);
        }
        Blocks work = new Blocks(inputs, values, block, blocks);
        ParallelParts.run(parts, part -> runBlocks(part, work));
        return gathered(Arrays.asList(work.outputs), batch);
    }

    /** One split call's blocks: the inputs, the next block to take, and each block's outputs. */
    private static final class Blocks {
        private final INDArray[] inputs;
        private final FloatBuffer[] values;
        private final int block;
        private final int count;
        private final AtomicInteger next = new AtomicInteger();
        private final INDArray[][] outputs;

        private Blocks(INDArray[] inputs, FloatBuffer[] values, int block, int count) {
            this.inputs = inputs;
            this.values = values;
            this.block = block;
            this.count = count;
            this.outputs = new INDArray[count][];
        }
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
                FloatBuffer source = Tensor.rowMajorValues(piece);
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
     * Runs blocks on the calling thread with runner {@code part} until none is left: each block's images copied from
     * the inputs' row-major values into the runner's block array by Java code, so that no native op runs outside the
     * runner's calls (outside them a thread's native ops may start OpenMP workers that spin on the cores the other
     * runner needs).
     */
    private void runBlocks(int part, Blocks work) {
        long batch = work.inputs[0].size(0);
        SparseRunner runner = runners[part];
        for (int k = work.next.getAndIncrement(); k < work.count; k = work.next.getAndIncrement()) {
            long start = (long) k * work.block;
            long end = Math.min(batch, start + work.block);
            INDArray[] block = blockInputs.get(part).computeIfAbsent((int) (end - start),
                    images -> new INDArray[work.inputs.length]);
            for (int i = 0; i < block.length; i++) {
                long[] shape = work.inputs[i].shape().clone();
                shape[0] = end - start;
                if (block[i] == null || !Arrays.equals(block[i].shape(), shape)) {
                    block[i] = Nd4j.create(DataType.FLOAT, shape);
                }
                int image = (int) (work.inputs[i].length() / batch);
                Tensor.copyImages(work.values[i], image, start, end - start, block[i]);
            }
            work.outputs[k] = KernelThreading.callWith(CallThreads.CALLER, () -> runner.output(block));
        }
    }
}
