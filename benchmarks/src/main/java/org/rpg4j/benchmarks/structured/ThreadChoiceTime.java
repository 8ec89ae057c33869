package org.rpg4j.benchmarks.structured;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.benchmarks.sparse.CaseRounds;
import org.rpg4j.benchmarks.sparse.RpgPrunedWeights;
import org.rpg4j.dl4j.deploy.runner.RunnerOptions;
import org.rpg4j.dl4j.deploy.runner.SparseRunner;
import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * The runner's threads, in one JVM with many interleaved repetitions: the wall time of every call (median and
 * quartiles, so one preempted call does not move the result) of the same network compiled with {@code pool}
 * ({@link KernelThreading#COMMON_POOL}: caller and pool from 200,000 multiply-adds per call, the runner's default
 * before session 11), {@code caller} ({@link KernelThreading#CALLER_ONLY}) and {@code chosen} ({@link
 * KernelThreading#PER_CALL}, the default now: whole calls per batch size timed on the caller against the 200,000
 * rule, the faster kept; each line ends with that choice). Every case gets {@value #WARM_UP} warm-up calls (kernel
 * calibration and the whole-call rounds, the last ending at call 344; the next round starts at call 601, so up to 250
 * calls per case after the warm-up time the steady choice, as most of a JMH run's calls do; {@code
 * -Drpg4j.warmUp=120} for slow networks: the round after call 120 starts at call 185), then every round runs each
 * case {@code calls} times in an order rotated by one case per round. (Session 11's {@code
 * claimed} case, every step on the caller and the pool with the claimed split, went with that split in session 12;
 * {@code sparse.HandOffBenchmark} keeps the split.)
 *
 * <p>Networks: {@code S0}, {@code S50}, {@code S70} (ResNet-56 or VGG-19 with that percentage of every prunable
 * channel group removed, {@link ShrunkModels}, kept counts not rounded) or {@code RPG95}, {@code RPG98} (RPG-pruned
 * weights at that sparsity, {@link RpgPrunedWeights}).
 *
 * <p>Usage: {@code ThreadChoiceTime MODEL BATCH ROUNDS CALLS CASE...}, e.g.
 * {@code ThreadChoiceTime RESNET56 1 20 5 S0:pool S0:caller S0:chosen}.
 */
public final class ThreadChoiceTime {

    private static final int WARM_UP = 350;

    private ThreadChoiceTime() {
    }

    /**
     * @param args model, batch, rounds, calls per case and round, then the cases
     * @throws IOException if the RPG-pruned weights cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        CaseRounds run = CaseRounds.parse("ThreadChoiceTime", args);
        int warmUp = Integer.getInteger("rpg4j.warmUp", WARM_UP);
        INDArray input = run.input();
        Map<String, ComputationGraph> graphs = new HashMap<>();
        Map<String, SparseRunner> runners = new LinkedHashMap<>();
        for (String name : run.cases()) {
            String[] parts = name.split(":");
            ComputationGraph graph = graphs.computeIfAbsent(parts[0], v -> network(run.model(), v));
            runners.put(name, SparseRunner.compile(graph, RunnerOptions.defaults().withThreading(threading(parts[1]))));
        }
        for (String name : run.cases()) {
            for (int i = 0; i < warmUp; i++) {
                runners.get(name).output(input);
            }
        }
        Map<String, List<Double>> millis = new HashMap<>();
        for (int r = 0; r < run.rounds(); r++) {
            for (int c = 0; c < run.cases().size(); c++) {
                String name = run.caseAt(r, c);
                for (int k = 0; k < run.calls(); k++) {
                    long start = System.nanoTime();
                    runners.get(name).output(input);
                    millis.computeIfAbsent(name, n -> new ArrayList<>()).add((System.nanoTime() - start) / 1e6);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s batch %d, %d rounds x %d calls per case; wall ms per call: median "
                + "[quartiles]; ratio = median of VARIANT:pool / median of the case%n", run.model(), run.batch(),
                run.rounds(), run.calls());
        for (String name : run.cases()) {
            List<Double> times = millis.get(name);
            String pool = name.split(":")[0] + ":pool";
            double median = CaseRounds.median(times);
            double ratio = millis.containsKey(pool) ? CaseRounds.median(millis.get(pool)) / median : Double.NaN;
            System.out.printf(Locale.ROOT, "  %-12s %9.3f [%8.3f, %8.3f] %6.2fx%s%n", name, median, CaseRounds
                    .quantile(times, 0.25), CaseRounds.quantile(times, 0.75), ratio, choice(runners.get(name)));
        }
        if (Boolean.getBoolean("rpg4j.threadReport")) {
            runners.forEach((name, runner) -> {
                System.out.println(name + ":");
                runner.report().stream().filter(c -> c.batch() > 0).forEach(c -> System.out.println("  " + c));
            });
        }
    }

    private static ComputationGraph network(String model, String variant) {
        int percent = Integer.parseInt(variant.replaceAll("[A-Z]", ""));
        try {
            return variant.startsWith("RPG") ? RpgPrunedWeights.graph(model, percent / 100.0, true)
                    : (ComputationGraph) ShrunkModels.prune(model, percent / 100.0, 1).network();
        } catch (IOException e) {
            throw new IllegalStateException("cannot load the RPG-pruned " + model + " at " + percent + " %", e);
        }
    }

    private static KernelThreading threading(String name) {
        return switch (name) {
            case "pool" -> KernelThreading.COMMON_POOL;
            case "caller" -> KernelThreading.CALLER_ONLY;
            case "chosen" -> KernelThreading.PER_CALL;
            default -> throw new IllegalArgumentException("threading suffix must be pool, caller or chosen, got "
                    + name);
        };
    }

    /** @return for the whole-call choice ({@code chosen}), what it kept at this run's batch size, else "" */
    private static String choice(SparseRunner runner) {
        String note = "whole calls put ";
        return runner.report().stream().filter(c -> c.batch() > 0 && c.calibration().contains(note)).findFirst()
                .map(c -> "  " + c.calibration().substring(c.calibration().indexOf(note))).orElse("");
    }
}
