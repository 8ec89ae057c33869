package org.rpg4j.benchmarks.sparse;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.dl4j.deploy.runner.KernelPolicy;
import org.rpg4j.dl4j.deploy.runner.RunnerOptions;
import org.rpg4j.dl4j.deploy.runner.SparseRunner;

/**
 * One network of {@link PrunedCifarModels} and its seeded input, from the arguments {@code MODEL VARIANT BATCH ...}
 * that the runner tools ({@link RunnerCpuTime}, {@link RunnerStepMinima}, {@link RunnerProfile},
 * {@link CalibrationCost}, {@link RunnerPlanSpread}) share, with the parsing of their optional arguments.
 *
 * @param model {@code VGG19} or {@code RESNET56}
 * @param variant {@code U<percent>} or {@code RPG<percent>} ({@link PrunedCifarModels#variant})
 * @param batch images per call, at least 1
 * @param graph the pruned network
 * @param input its input {@code [batch, 3, 32, 32]} ({@link PrunedCifarModels#input})
 */
record RunnerCase(String model, String variant, int batch, ComputationGraph graph, INDArray input) {

    /**
     * @param tool the tool's name, for the usage line of an error
     * @param args {@code MODEL VARIANT BATCH} and the tool's optional arguments
     * @param optional the optional arguments' usage, e.g. {@code "[calls] [policy]"}
     * @return the network and its input
     * @throws IOException if the RPG-pruned weights cannot be read or written
     * @throws IllegalArgumentException if there are fewer than three arguments or the batch is not a whole number
     *     of at least 1
     */
    static RunnerCase load(String tool, String[] args, String optional) throws IOException {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: " + tool + " MODEL VARIANT BATCH " + optional + ", got "
                    + Arrays.toString(args));
        }
        int batch = count("BATCH", args[2]);
        if (batch < 1) {
            throw new IllegalArgumentException("BATCH must be >= 1, got " + batch);
        }
        ComputationGraph graph = PrunedCifarModels.variant(args[0], args[1]);
        return new RunnerCase(args[0], args[1], batch, graph, PrunedCifarModels.input(batch));
    }

    /**
     * Calls the runner, then DL4J, {@code calls} times: JIT warm-up, and the runner's kernel calibration.
     *
     * @param runner the runner compiled from {@link #graph}
     * @param calls calls of each
     */
    void warmUp(SparseRunner runner, int calls) {
        for (int i = 0; i < calls; i++) {
            runner.output(input);
            graph.outputSingle(input);
        }
    }

    /**
     * Compiles the runner of {@link #graph} with {@code policy} and warms it up ({@link #warmUp}).
     *
     * @param policy the runner's kernel policy
     * @param calls warm-up calls of each
     * @return the warm runner
     */
    SparseRunner warmRunner(KernelPolicy policy, int calls) {
        SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(policy));
        warmUp(runner, calls);
        return runner;
    }

    /**
     * One DL4J call and then one runner call on {@link #input}, each timed in the calling thread's CPU time (all
     * the work when the JVM runs with {@code OMP_NUM_THREADS=1} and the common pool's parallelism 0).
     *
     * @param runner the runner compiled from {@link #graph}
     * @return {@code {DL4J ms, runner ms}}
     */
    double[] cpuMillisOfOneCallEach(SparseRunner runner) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        graph.outputSingle(input);
        long middle = threads.getCurrentThreadCpuTime();
        runner.output(input);
        long end = threads.getCurrentThreadCpuTime();
        return new double[] {(middle - start) / 1e6, (end - middle) / 1e6};
    }

    /**
     * @param args the tool's arguments
     * @param index the optional argument's position
     * @param name its name, for an error
     * @param absent its value when {@code args} is shorter
     * @return the whole number there, or {@code absent}
     * @throws IllegalArgumentException if it is not a whole number
     */
    static int count(String[] args, int index, String name, int absent) {
        return args.length > index ? count(name, args[index]) : absent;
    }

    /**
     * {@link #count(String[], int, String, int)} for an argument that must be at least 1.
     *
     * @throws IllegalArgumentException if it is not a whole number or is below 1
     */
    static int positiveCount(String[] args, int index, String name, int absent) {
        int value = count(args, index, name, absent);
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
        return value;
    }

    /**
     * @param name the argument's name, for an error
     * @param value its text
     * @return the whole number
     * @throws IllegalArgumentException if it is not a whole number
     */
    static int count(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got " + value, e);
        }
    }

    /**
     * Times {@code calls} alternating calls, DL4J's network then the runner, on the same input, and prints one line:
     * the medians and the fastest calls in wall milliseconds and the speed-ups.
     *
     * @param label the case's name at the start of the line (model, variant, batch)
     * @param dl4j the network DL4J runs
     * @param runner the runner
     * @param input the input of both
     * @param calls timed calls of each, &ge; 1
     */
    static void printSpread(String label, ComputationGraph dl4j, SparseRunner runner, INDArray input, int calls) {
        double[] dl4jMillis = new double[calls];
        double[] runnerMillis = new double[calls];
        for (int c = 0; c < calls; c++) {
            long start = System.nanoTime();
            dl4j.outputSingle(input);
            long middle = System.nanoTime();
            runner.output(input);
            dl4jMillis[c] = (middle - start) / 1e6;
            runnerMillis[c] = (System.nanoTime() - middle) / 1e6;
        }
        Arrays.sort(dl4jMillis);
        Arrays.sort(runnerMillis);
        double dl4jMedian = dl4jMillis[calls / 2];
        double runnerMedian = runnerMillis[calls / 2];
        System.out.printf(Locale.ROOT, "spread %s: DL4J median %.2f (fastest %.2f) ms, runner median %.2f (fastest "
                + "%.2f) ms, speed-up %.2fx (fastest %.2fx)%n", label, dl4jMedian, dl4jMillis[0], runnerMedian,
                runnerMillis[0], dl4jMedian / runnerMedian, dl4jMillis[0] / runnerMillis[0]);
    }

    /**
     * @param args the tool's arguments
     * @param index the optional argument's position
     * @param absent its value when {@code args} is shorter
     * @param <E> the enum
     * @return the constant named there (any case), or {@code absent}
     * @throws IllegalArgumentException naming the allowed constants if there is none of that name
     */
    static <E extends Enum<E>> E option(String[] args, int index, E absent) {
        if (args.length <= index) {
            return absent;
        }
        Class<E> type = absent.getDeclaringClass();
        try {
            return Enum.valueOf(type, args[index].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(type.getSimpleName() + " must be one of " + Arrays.toString(type
                    .getEnumConstants()) + ", got " + args[index], e);
        }
    }
}
