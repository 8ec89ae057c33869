package org.rpg4j.benchmarks.sparse;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.dl4j.deploy.runner.CalibrationReport;
import org.rpg4j.dl4j.deploy.runner.LayerChoice;
import org.rpg4j.dl4j.deploy.runner.RunnerOptions;
import org.rpg4j.dl4j.deploy.runner.SparseRunner;
import org.rpg4j.dl4j.deploy.runner.StepTime;

/**
 * One JVM's view of a calibrated runner, set up as {@link NetworkInferenceBenchmark} sets it up (the RPG-pruned
 * weights, its seeded input, DL4J's uniform 95 % network called first, then {@link SparseRunner#calibrate}): the
 * calibration's calls and wall time, the plan race's verdict, every layer's kernel choice, then DL4J and the runner
 * alternating {@code calls} times (median and fastest wall time of each, and the ratio of medians), then each step's
 * median and fastest wall time over {@code profiles} one-call profiles ({@link SparseRunner#profile}) with the kernel
 * it ran. Lighter than the JMH run (about a minute for VGG-19 at batch 32): run it in several JVMs and compare a
 * fast one with a slow one, layer by layer and step by step.
 *
 * <p>Usage: {@code RunnerPlanSpread MODEL VARIANT BATCH [dl4j-warm-up] [calls] [profiles]}, e.g. {@code
 * RunnerPlanSpread VGG19 RPG98 32 20 30 20}.
 */
public final class RunnerPlanSpread {

    private RunnerPlanSpread() {
    }

    /**
     * @param args model (VGG19, RESNET56), variant (RPG95, RPG98; {@link PrunedCifarModels#variant}), batch, DL4J
     *     calls before the runner is compiled (default 20), alternating timed calls (default 30), profiled calls
     *     (default 20)
     * @throws IOException if the RPG-pruned weights cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        RunnerCase runCase = RunnerCase.load("RunnerPlanSpread", args, "[dl4j-warm-up] [calls] [profiles]");
        String model = runCase.model();
        String variant = runCase.variant();
        int batch = runCase.batch();
        int dl4jWarmUp = RunnerCase.count(args, 3, "dl4j-warm-up", 20);
        int calls = RunnerCase.positiveCount(args, 4, "calls", 30);
        int profiles = RunnerCase.positiveCount(args, 5, "profiles", 20);
        ComputationGraph dense = PrunedCifarModels.of(model, 0.95);
        ComputationGraph graph = runCase.graph();
        INDArray input = runCase.input();
        for (int i = 0; i < dl4jWarmUp; i++) {
            dense.outputSingle(input);
        }
        SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults());
        CalibrationReport calibrated = runner.calibrate(input);
        System.out.printf(Locale.ROOT, "calibrate %s %s batch %d: %d calls, %.1f ms wall, threads %s%n", model,
                variant, batch, calibrated.calls(), calibrated.millis(), calibrated.threads());
        for (LayerChoice choice : runner.report()) {
            if (choice.batch() == batch && !Double.isNaN(choice.sparseMillis() + choice.denseMillis())) {
                System.out.println("  choice " + choice);
            }
        }
        RunnerCase.printSpread(model + " " + variant + " batch " + batch, dense, runner, input, calls);
        printSteps(runner, input, profiles);
    }

    /** Prints each step's median and fastest wall time over {@code profiles} one-call profiles. */
    private static void printSteps(SparseRunner runner, INDArray input, int profiles) {
        List<StepTime> steps = runner.profile(1, input);
        double[][] times = new double[steps.size()][profiles];
        for (int p = 0; p < profiles; p++) {
            steps = runner.profile(1, input);
            for (int s = 0; s < steps.size(); s++) {
                times[s][p] = steps.get(s).millis();
            }
        }
        double medians = 0;
        double minima = 0;
        for (int s = 0; s < steps.size(); s++) {
            Arrays.sort(times[s]);
            StepTime step = steps.get(s);
            System.out.printf(Locale.ROOT, "  step %-22s %-16s median %8.3f fastest %8.3f%n", step.name(),
                    step.kernel(), times[s][profiles / 2], times[s][0]);
            medians += times[s][profiles / 2];
            minima += times[s][0];
        }
        System.out.printf(Locale.ROOT, "  sum of step medians %.3f ms, of minima %.3f ms%n", medians, minima);
    }
}
