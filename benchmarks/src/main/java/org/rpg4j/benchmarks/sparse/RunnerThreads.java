package org.rpg4j.benchmarks.sparse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.dl4j.deploy.runner.KernelPolicy;
import org.rpg4j.dl4j.deploy.runner.NativeThreading;
import org.rpg4j.dl4j.deploy.runner.RunnerOptions;
import org.rpg4j.dl4j.deploy.runner.SparseRunner;
import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * Who uses the two cores while the runner and DL4J run, and how long a call takes, with many interleaved
 * repetitions: the wall time of every call (median and quartiles, so one preempted call does not move the
 * result) and, from {@code /proc/self/task/<tid>/schedstat} (Linux), the CPU time per call of each group of
 * threads: the calling thread, the fork-join pool's workers (the sparse kernels), the JVM's own threads (GC,
 * JIT) and the native threads (libnd4j's OpenMP workers, OpenBLAS). A native thread that burns CPU while the
 * runner's Java kernels run is libgomp's worker spinning after a native op.
 *
 * <p>Cases: {@code DL4J} (the dense network with the fast layers), or a runner variant of
 * {@link NetworkInferenceBenchmark} ({@code U0}, {@code U95}, {@code RPG95}, {@code RPG98}, ...) with a
 * threading suffix: {@code :java} (default options: native ops split over the runner's Java threads),
 * {@code :openmp} (native ops on libnd4j's OpenMP threads, the runner before that option) or {@code :caller}
 * (everything on the calling thread), and optionally a kernel policy ({@code U0:java:dense}: every layer on its dense
 * kernel, no calibration). Every round runs each case {@code calls} times, in an order rotated by
 * one case per round, after 8 warm-up calls of each (the runner's calibration).
 *
 * <p>Usage: {@code RunnerThreads MODEL BATCH ROUNDS CALLS CASE...}, e.g.
 * {@code RunnerThreads RESNET56 32 20 3 DL4J U0:java U0:openmp RPG98:java RPG98:openmp}.
 */
public final class RunnerThreads {

    private static final int WARM_UP = 8;
    private static final long IDLE_MILLIS = 200;
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final String[] GROUPS = {"caller", "fork-join", "jvm", "native"};

    private RunnerThreads() {
    }

    /**
     * @param args model, batch, rounds, calls per case and round, then the cases
     * @throws IOException if the RPG-pruned weights cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        CaseRounds run = CaseRounds.parse("RunnerThreads", args);
        List<String> cases = run.cases();
        INDArray input = run.input();
        Map<String, Inference> inferences = new LinkedHashMap<>();
        for (String name : cases) {
            inferences.put(name, inference(run.model(), name));
        }
        for (Inference inference : inferences.values()) {
            for (int i = 0; i < WARM_UP; i++) {
                inference.run(input);
            }
        }
        String caller = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        spinAfterCall(inferences, input, caller);
        Map<String, List<Double>> millis = new HashMap<>();
        Map<String, double[]> cpu = new HashMap<>();
        for (int r = 0; r < run.rounds(); r++) {
            for (int c = 0; c < cases.size(); c++) {
                String name = run.caseAt(r, c);
                Map<String, Long> before = threadNanos();
                for (int k = 0; k < run.calls(); k++) {
                    long start = System.nanoTime();
                    inferences.get(name).run(input);
                    millis.computeIfAbsent(name, n -> new ArrayList<>()).add((System.nanoTime() - start) / 1e6);
                }
                Map<String, Long> after = threadNanos();
                double[] groups = cpu.computeIfAbsent(name, n -> new double[GROUPS.length]);
                after.forEach((thread, nanos) -> {
                    long spent = nanos - before.getOrDefault(thread, 0L);
                    groups[group(thread, caller)] += spent / 1e6;
                });
            }
        }
        System.out.printf(Locale.ROOT, "%s batch %d, %d rounds x %d calls per case; ms per call (wall: median "
                + "[quartiles]; CPU: mean per thread group)%n", run.model(), run.batch(), run.rounds(), run.calls());
        System.out.printf(Locale.ROOT, "  %-14s %9s %19s %8s %8s %8s %8s %8s %9s%n", "case", "median", "quartiles",
                GROUPS[0], GROUPS[1], GROUPS[2], GROUPS[3], "cpu sum", "vs DL4J");
        double dl4j = millis.containsKey("DL4J") ? CaseRounds.median(millis.get("DL4J")) : Double.NaN;
        for (String name : cases) {
            List<Double> times = millis.get(name);
            double[] groups = cpu.get(name);
            int n = times.size();
            double sum = Arrays.stream(groups).sum() / n;
            System.out.printf(Locale.ROOT, "  %-14s %9.2f [%8.2f, %8.2f] %8.2f %8.2f %8.2f %8.2f %8.2f %8.2fx%n", name,
                    CaseRounds.median(times), CaseRounds.quantile(times, 0.25), CaseRounds.quantile(times, 0.75),
                    groups[0] / n, groups[1] / n, groups[2] / n, groups[3] / n, sum, dl4j / CaseRounds.median(times));
        }
    }

    /**
     * What each case leaves running once its call has returned: CPU time of every thread group during the
     * 200 ms after a call in which this thread sleeps (the mean of 5). libgomp's worker spins
     * there after a call that used OpenMP's threads.
     */
    private static void spinAfterCall(Map<String, Inference> inferences, INDArray input, String caller)
            throws IOException {
        System.out.printf(Locale.ROOT, "CPU ms of each thread group in the %d ms after a call, while the caller "
                + "sleeps (mean of 5):%n", IDLE_MILLIS);
        for (Map.Entry<String, Inference> entry : inferences.entrySet()) {
            double[] groups = new double[GROUPS.length];
            for (int i = 0; i < 5; i++) {
                entry.getValue().run(input);
                Map<String, Long> before = threadNanos();
                try {
                    Thread.sleep(IDLE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                Map<String, Long> after = threadNanos();
                after.forEach((thread, nanos) -> groups[group(thread, caller)] += (nanos - before.getOrDefault(thread,
                        0L)) / 1e6 / 5);
            }
            System.out.printf(Locale.ROOT, "  %-14s caller %6.2f  fork-join %6.2f  jvm %6.2f  native %6.2f%n",
                    entry.getKey(), groups[0], groups[1], groups[2], groups[3]);
        }
    }

    /** One case: DL4J's own inference or a compiled runner. */
    private interface Inference {
        void run(INDArray input);
    }

    private static Inference inference(String model, String name) throws IOException {
        if (name.equals("DL4J")) {
            ComputationGraph graph = PrunedCifarModels.of(model, 0.95);
            return graph::outputSingle;
        }
        String[] parts = name.split(":");
        String variant = parts[0];
        String threads = parts.length > 1 ? parts[1] : "java";
        ComputationGraph graph = PrunedCifarModels.variant(model, variant);
        RunnerOptions options = switch (threads) {
            case "java" -> RunnerOptions.defaults();
            case "openmp" -> RunnerOptions.defaults().withNativeThreading(NativeThreading.OPENMP);
            case "caller" -> RunnerOptions.defaults().withThreading(KernelThreading.CALLER_ONLY);
            default -> throw new IllegalArgumentException("threading suffix must be java, openmp or caller, got "
                    + threads);
        };
        if (parts.length > 2) {
            options = options.withPolicy(KernelPolicy.valueOf(parts[2].toUpperCase(Locale.ROOT)));
        }
        SparseRunner runner = SparseRunner.compile(graph, options);
        return runner::output;
    }

    /** @return CPU nanoseconds so far of every thread of this process, keyed by "tid name" */
    private static Map<String, Long> threadNanos() throws IOException {
        Map<String, Long> nanos = new HashMap<>();
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    String line = Files.readString(task.resolve("schedstat")).trim();
                    nanos.put(task.getFileName() + " " + name, Long.parseLong(line.split(" ")[0]));
                } catch (IOException e) {
                    // the thread ended between the listing and the read
                }
            }
        }
        return nanos;
    }

    /** @return the index in {@link #GROUPS} of a thread ("tid name") */
    private static int group(String thread, String caller) {
        String tid = thread.substring(0, thread.indexOf(' '));
        String name = thread.substring(thread.indexOf(' ') + 1);
        if (tid.equals(caller)) {
            return 0;
        }
        if (name.startsWith("ForkJoinPool")) {
            return 1;
        }
        // HotSpot names its own native threads; libgomp's and OpenBLAS's workers keep the process name
        return name.equals("java") ? 3 : 2;
    }
}
