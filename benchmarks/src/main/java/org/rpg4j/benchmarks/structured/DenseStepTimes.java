package org.rpg4j.benchmarks.structured;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.benchmarks.sparse.CaseRounds;
import org.rpg4j.dl4j.deploy.runner.KernelPolicy;
import org.rpg4j.dl4j.deploy.runner.NativeThreading;
import org.rpg4j.dl4j.deploy.runner.RunnerOptions;
import org.rpg4j.dl4j.deploy.runner.SparseRunner;
import org.rpg4j.dl4j.deploy.runner.StepTime;
import org.rpg4j.dl4j.shrink.InferenceFolding;
import org.rpg4j.sparse.kernel.CallThreads;
import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * The runner's steps against the same layers of DL4J's folded network ({@link InferencePath#FOLDED}), with fixed
 * choices so that no calibration or thread race moves the times: every runner case is compiled with a kernel policy, a
 * thread choice set around each call ({@link KernelThreading#callWith}, which the runner does not time) and a {@link
 * NativeThreading}. Each round runs one profiled call per runner case ({@link SparseRunner#profile} with one call:
 * every step timed), one timed {@code outputSingle} call of the folded network and one pass over its vertices one by
 * one (wall time per vertex, no workspaces, as {@link VertexProfile}), the order rotated per round. Prints per case the
 * median call (and the minor page faults per call), then per runner step its median time in every case beside the
 * median of the folded vertex of the same name (steps and vertices on the thread's CPU clock with {@code
 * -Drpg4j.clock=cpu}, for runs on one thread: {@code OMP_NUM_THREADS=1} and the {@code caller} cases) (the convolution; the folded network's separate residual add and
 * activation vertices, which the runner fuses into the convolution, are summed in the totals only).
 *
 * <p>Cases {@code POLICY:THREADS:NATIVE}: policy {@code dense} ({@link KernelPolicy#DENSE}: oneDNN everywhere) or
 * {@code measured}; threads {@code caller} ({@link CallThreads#CALLER}), {@code pool} ({@link
 * CallThreads#POOL_ABOVE_THRESHOLD}), {@code chosen} (no choice set: the runner's own race) or {@code callerOnly}
 * ({@link KernelThreading#CALLER_ONLY}: every step on the caller, a dense convolution on one OpenMP thread whatever the
 * batch, as under {@code caller} before session 13); native {@code java}
 * ({@link NativeThreading#JAVA_THREADS}) or {@code omp} ({@link NativeThreading#OPENMP}).
 *
 * <p>Usage: {@code DenseStepTimes MODEL REMOVED BATCH ROUNDS WARMUP CASE...}, e.g. {@code DenseStepTimes RESNET56 0
 * 64 20 8 dense:pool:java dense:caller:omp}.
 */
public final class DenseStepTimes {

    private static final String CHOICE_PROPERTY = "rpg4j.convolutionInference";
    /** {@code -Drpg4j.clock=cpu}: steps and vertices timed on the calling thread's CPU clock (for one thread). */
    private static final boolean CPU = "cpu".equals(System.getProperty("rpg4j.clock"));
    /**
     * {@code -Drpg4j.vertices=true}: also a pass over the folded network's vertices one by one per round (its
     * per-vertex times did not add up to the folded call's time in session 13: no workspaces, other op paths).
     */
    private static final boolean VERTICES = Boolean.getBoolean("rpg4j.vertices");
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory
            .getThreadMXBean();

    private DenseStepTimes() {
    }

    /** One runner case: its runner, the thread choice set around its calls (null: none) and its timings. */
    private record Case(String name, SparseRunner runner, CallThreads threads, List<Double> calls, List<Long> faults,
                        Map<String, List<Double>> steps) {
    }

    /**
     * @param args model, fraction removed, batch, rounds, warm-up rounds, then the cases
     * @throws IOException if {@code /proc/self/stat} cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 6) {
            throw new IllegalArgumentException("usage: DenseStepTimes MODEL REMOVED BATCH ROUNDS WARMUP CASE...");
        }
        String model = args[0];
        double removed = Double.parseDouble(args[1]);
        int batch = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        int warmUp = Integer.parseInt(args[4]);
        ComputationGraph graph = (ComputationGraph) ShrunkModels.prune(model, removed, 1).network();
        ComputationGraph folded = InferenceFolding.fold(graph).network();
        Nd4j.getRandom().setSeed(42);
        INDArray input = Nd4j.rand(DataType.FLOAT, batch, 3, 32, 32);
        List<Case> cases = new ArrayList<>();
        for (int i = 5; i < args.length; i++) {
            cases.add(runnerCase(args[i], graph));
        }
        List<Double> foldedCalls = new ArrayList<>();
        Map<String, List<Double>> foldedVertices = new LinkedHashMap<>();
        int positions = cases.size() + (VERTICES ? 2 : 1);
        for (int r = 0; r < warmUp + rounds; r++) {
            boolean timed = r >= warmUp;
            for (int p = 0; p < positions; p++) {
                int at = (p + r) % positions;
                if (at < cases.size()) {
                    runCase(cases.get(at), input, timed);
                } else if (at == cases.size()) {
                    long start = System.nanoTime();
                    withChoice(() -> folded.outputSingle(false, input));
                    if (timed) {
                        foldedCalls.add((System.nanoTime() - start) / 1e6);
                    }
                } else {
                    Map<String, Double> pass = vertexPass(folded, input);
                    if (timed) {
                        pass.forEach((name, ms) -> foldedVertices.computeIfAbsent(name, n -> new ArrayList<>())
                                .add(ms));
                    }
                }
            }
        }
        print(model, removed, batch, rounds, cases, foldedCalls, foldedVertices);
    }

    private static Case runnerCase(String name, ComputationGraph graph) {
        String[] parts = name.split(":");
        if (parts.length != 3) {
            throw new IllegalArgumentException("case must be POLICY:THREADS:NATIVE, got " + name);
        }
        KernelPolicy policy = switch (parts[0]) {
            case "dense" -> KernelPolicy.DENSE;
            case "measured" -> KernelPolicy.MEASURED;
            default -> throw new IllegalArgumentException("policy must be dense or measured, got " + parts[0]);
        };
        CallThreads threads = switch (parts[1]) {
            case "caller", "callerOnly" -> CallThreads.CALLER;
            case "pool" -> CallThreads.POOL_ABOVE_THRESHOLD;
            case "chosen" -> null;
            default -> throw new IllegalArgumentException("threads must be caller, pool or chosen, got " + parts[1]);
        };
        NativeThreading nativeThreading = switch (parts[2]) {
            case "java" -> NativeThreading.JAVA_THREADS;
            case "omp" -> NativeThreading.OPENMP;
            default -> throw new IllegalArgumentException("native must be java or omp, got " + parts[2]);
        };
        RunnerOptions options = RunnerOptions.defaults().withPolicy(policy).withNativeThreading(nativeThreading);
        SparseRunner runner = SparseRunner.compile(graph, parts[1].equals("callerOnly") ? options.withThreading(
                KernelThreading.CALLER_ONLY) : options);
        return new Case(name, runner, threads, new ArrayList<>(), new ArrayList<>(), new LinkedHashMap<>());
    }

    private static void runCase(Case c, INDArray input, boolean timed) throws IOException {
        long faults = PageFaults.minor();
        long start = System.nanoTime();
        List<StepTime> steps = c.threads() == null ? c.runner().profile(1, DenseStepTimes::clock, input)
                : KernelThreading.callWith(c.threads(), () -> c.runner().profile(1, DenseStepTimes::clock, input));
        double millis = (System.nanoTime() - start) / 1e6;
        if (!timed) {
            return;
        }
        c.calls().add(millis);
        c.faults().add(PageFaults.minor() - faults);
        for (int s = 0; s < steps.size(); s++) {
            StepTime step = steps.get(s);
            c.steps().computeIfAbsent(s + " " + step.name() + " " + step.kernel(), k -> new ArrayList<>()).add(step
                    .millis());
        }
    }

    private static void print(String model, double removed, int batch, int rounds, List<Case> cases,
                              List<Double> foldedCalls, Map<String, List<Double>> foldedVertices) {
        System.out.printf(Locale.ROOT, "%s removed %.2f batch %d, %d rounds, load %.2f; median ms per call [quartiles]"
                + " (steps on the %s clock)%n", model, removed, batch, rounds, java.lang.management.ManagementFactory
                        .getOperatingSystemMXBean().getSystemLoadAverage(), CPU ? "thread CPU" : "wall");
        for (Case c : cases) {
            double steps = c.steps().values().stream().mapToDouble(CaseRounds::median).sum();
            System.out.printf(Locale.ROOT, "  %-22s %9.2f [%8.2f, %8.2f]  sum of step medians %8.2f, minor faults per"
                    + " call median %d%n", c.name(), CaseRounds.median(c.calls()), CaseRounds.quantile(c.calls(),
                            0.25), CaseRounds.quantile(c.calls(), 0.75), steps, median(c.faults()));
        }
        double vertexSum = foldedVertices.values().stream().mapToDouble(CaseRounds::median).sum();
        System.out.printf(Locale.ROOT, "  %-22s %9.2f [%8.2f, %8.2f]  sum of vertex medians %8.2f%n", "FOLDED",
                CaseRounds.median(foldedCalls), CaseRounds.quantile(foldedCalls, 0.25), CaseRounds.quantile(
                        foldedCalls, 0.75), vertexSum);
        StringBuilder header = new StringBuilder("step (kernel)");
        cases.forEach(c -> header.append(" | ").append(c.name()));
        System.out.println(header + " | FOLDED vertex");
        for (String step : cases.get(0).steps().keySet()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-40s", step));
            for (Case c : cases) {
                List<Double> times = c.steps().get(step);
                line.append(times == null ? "         -" : String.format(Locale.ROOT, " %9.3f", CaseRounds.median(
                        times)));
            }
            List<Double> vertex = foldedVertices.get(step.split(" ")[1]);
            line.append(vertex == null ? "         -" : String.format(Locale.ROOT, " %9.3f", CaseRounds.median(
                    vertex)));
            System.out.println(line);
        }
        System.out.println("folded vertices without a runner step of the same name (median ms):");
        foldedVertices.forEach((name, times) -> {
            if (cases.get(0).steps().keySet().stream().noneMatch(s -> s.split(" ")[1].equals(name))) {
                System.out.printf(Locale.ROOT, "  %-30s %9.3f%n", name, CaseRounds.median(times));
            }
        });
    }

    /** One pass over the folded network's vertices, each timed (wall ms by vertex name). */
    private static Map<String, Double> vertexPass(ComputationGraph net, INDArray input) {
        Map<String, Double> millis = new LinkedHashMap<>();
        withChoice(() -> {
            VertexPass.run(net, input, DenseStepTimes::clock, (i, v, nanos) -> millis.put(v.getVertexName(), nanos
                    / 1e6));
            return null;
        });
        return millis;
    }

    /** @return nanoseconds on the clock steps are timed on: wall time, or the thread's CPU time ({@link #CPU}) */
    private static long clock() {
        return CPU ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private static <T> T withChoice(java.util.function.Supplier<T> call) {
        System.setProperty(CHOICE_PROPERTY, "measured");
        try {
            return call.get();
        } finally {
            System.clearProperty(CHOICE_PROPERTY);
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
    }
}
