package org.rpg4j.benchmarks.structured;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.deploy.runner.RunnerOptions;
import org.rpg4j.dl4j.deploy.runner.SparseRunner;
import org.rpg4j.dl4j.deploy.runner.StepTime;

/**
 * What each of a freshly compiled runner's first calls costs and where, beside DL4J's folded network in the same
 * JVM: the wall time of every call of the runner ({@link SparseRunner#profile} with one call, so each step is timed
 * too) and, interleaved call by call, of {@link InferencePath#FOLDED}; the minor page faults of the process during the
 * runner's call ({@code /proc/self/stat}); and per call the steps that took more than {@code 1.5x} their median over
 * the last half of the calls (calibration, kernel rechecks, the whole-call thread race, fresh buffers). Ends with the
 * medians of the last half of the calls and the runner's report lines of the batch size. Not JMH: one JVM, calls in
 * order, as a user of the runner makes them.
 *
 * <p>Usage: {@code RunnerCallTimes MODEL REMOVED BATCH CALLS}, e.g. {@code RunnerCallTimes VGG19 0 64 120}
 * ({@link ShrunkModels}: channel multiple 1).
 */
public final class RunnerCallTimes {

    private static final double SLOW_STEP = 1.5;

    private RunnerCallTimes() {
    }

    /**
     * @param args model, fraction removed, batch, calls
     * @throws IOException if {@code /proc/self/stat} cannot be read
     */
    public static void main(String[] args) throws IOException {
        String model = args[0];
        double removed = Double.parseDouble(args[1]);
        int batch = Integer.parseInt(args[2]);
        int calls = Integer.parseInt(args[3]);
        ComputationGraph graph = (ComputationGraph) ShrunkModels.prune(model, removed, 1).network();
        Nd4j.getRandom().setSeed(42);
        INDArray input = Nd4j.rand(DataType.FLOAT, batch, 3, 32, 32);
        UnaryOperator<INDArray> folded = InferencePath.FOLDED.prepare(graph);
        SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults());
        double[] runnerMillis = new double[calls];
        double[] foldedMillis = new double[calls];
        long[] faults = new long[calls];
        List<List<StepTime>> steps = new ArrayList<>();
        for (int c = 0; c < calls; c++) {
            long before = PageFaults.minor();
            long start = System.nanoTime();
            steps.add(runner.profile(1, input));
            runnerMillis[c] = (System.nanoTime() - start) / 1e6;
            faults[c] = PageFaults.minor() - before;
            start = System.nanoTime();
            folded.apply(input);
            foldedMillis[c] = (System.nanoTime() - start) / 1e6;
            System.out.printf(Locale.ROOT, "call %d: runner %.2f ms, folded %.2f ms, %d minor faults;%s%n", c + 1,
                    runnerMillis[c], foldedMillis[c], faults[c], slowest(steps.get(c)));
        }
        int stepCount = steps.get(0).size();
        double[] stepMedians = new double[stepCount];
        for (int s = 0; s < stepCount; s++) {
            double[] late = new double[calls - calls / 2];
            for (int c = calls / 2; c < calls; c++) {
                late[c - calls / 2] = steps.get(c).get(s).millis();
            }
            stepMedians[s] = median(late);
        }
        System.out.printf(Locale.ROOT, "%s removed %.2f batch %d: call, runner ms, folded DL4J ms, minor faults, steps "
                + "above %.1fx their late median (ms)%n", model, removed, batch, SLOW_STEP);
        for (int c = 0; c < calls; c++) {
            StringBuilder slow = new StringBuilder();
            List<StepTime> times = steps.get(c);
            for (int s = 0; s < stepCount; s++) {
                if (times.get(s).millis() > SLOW_STEP * stepMedians[s] && times.get(s).millis()
                        - stepMedians[s] > 0.5) {
                    slow.append(String.format(Locale.ROOT, " %s %.1f(%.1f)", times.get(s).name(), times.get(s)
                            .millis(), stepMedians[s]));
                }
            }
            System.out.printf(Locale.ROOT, "%4d %9.2f %9.2f %7d%s%n", c + 1, runnerMillis[c], foldedMillis[c],
                    faults[c], slow);
        }
        double[] lateRunner = Arrays.copyOfRange(runnerMillis, calls / 2, calls);
        double[] lateFolded = Arrays.copyOfRange(foldedMillis, calls / 2, calls);
        System.out.printf(Locale.ROOT, "last %d calls: runner median %.2f ms [%.2f, %.2f], folded median %.2f ms; "
                + "runner / folded %.3f; all %d calls: runner %.0f ms, folded %.0f ms%n", lateRunner.length, median(
                        lateRunner), quantile(lateRunner, 0.25), quantile(lateRunner, 0.75), median(lateFolded),
                median(lateRunner) / median(lateFolded), calls, Arrays.stream(runnerMillis).sum(), Arrays.stream(
                        foldedMillis).sum());
        runner.report().stream().filter(c -> c.batch() == batch).forEach(c -> System.out.println("  " + c));
    }

    /** @return the three slowest steps of a call, name and ms */
    private static String slowest(List<StepTime> times) {
        StringBuilder text = new StringBuilder();
        times.stream().sorted((a, b) -> Double.compare(b.millis(), a.millis())).limit(3).forEach(t -> text.append(
                String.format(Locale.ROOT, " %s %.1f", t.name(), t.millis())));
        return text.toString();
    }

    private static double median(double[] values) {
        return quantile(values, 0.5);
    }

    private static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = q * (sorted.length - 1);
        int low = (int) Math.floor(position);
        int high = Math.min(sorted.length - 1, low + 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }
}
