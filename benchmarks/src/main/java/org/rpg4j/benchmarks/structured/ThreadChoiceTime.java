package org.rpg4j.benchmarks.structured;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.benchmarks.sparse.RpgPrunedWeights;
import org.rpg4j.dl4j.deploy.runner.LayerChoice;
import org.rpg4j.dl4j.deploy.runner.RunnerOptions;
import org.rpg4j.dl4j.deploy.runner.SparseRunner;
import org.rpg4j.sparse.kernel.CallThreads;
import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * The runner's threads before and after the per-step choice, in one JVM with many interleaved repetitions: the wall
 * time of every call (median and quartiles, so one preempted call does not move the result) of the same network
 * compiled with {@code pool} ({@link KernelThreading#COMMON_POOL}: caller and pool from 200,000 multiply-adds per call,
 * the runner's default before), {@code caller} ({@link KernelThreading#CALLER_ONLY}) and {@code chosen} ({@link
 * KernelThreading#PER_CALL}: each step times both and keeps the faster, the default now) or {@code claimed} (every step
 * on the caller and the pool, whatever its work, with the claimed split: {@link CallThreads#CALLER_AND_POOL} set around
 * each call). Every case gets {@value #WARM_UP} warm-up calls (kernel calibration and the first thread rounds of the
 * steps and of the whole calls, the last ending at call 344; the next whole-call round starts at call 601, so up to 250
 * calls per case after the warm-up time the steady choice, as most of a JMH run's calls do; {@code -Drpg4j.warmUp=120}
 * for slow networks: the whole-call round after call 120 starts at call 185), then every round runs each case {@code
 * calls} times in an order rotated by one case per round.
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
        String model = args[0];
        int batch = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int calls = Integer.parseInt(args[3]);
        List<String> cases = List.of(Arrays.copyOfRange(args, 4, args.length));
        int warmUp = Integer.getInteger("rpg4j.warmUp", WARM_UP);
        Nd4j.getRandom().setSeed(3);
        INDArray input = Nd4j.rand(DataType.FLOAT, batch, 3, 32, 32);
        Map<String, ComputationGraph> graphs = new HashMap<>();
        Map<String, SparseRunner> runners = new LinkedHashMap<>();
        Map<String, CallThreads> forced = new HashMap<>();
        for (String name : cases) {
            String[] parts = name.split(":");
            ComputationGraph graph = graphs.computeIfAbsent(parts[0], v -> network(model, v));
            runners.put(name, SparseRunner.compile(graph, RunnerOptions.defaults().withThreading(threading(parts[1]))));
            if (parts[1].equals("claimed")) {
                forced.put(name, CallThreads.CALLER_AND_POOL);
            }
        }
        for (String name : cases) {
            for (int i = 0; i < warmUp; i++) {
                call(runners.get(name), forced.get(name), input);
            }
        }
        Map<String, List<Double>> millis = new HashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (int c = 0; c < cases.size(); c++) {
                String name = cases.get((c + r) % cases.size());
                for (int k = 0; k < calls; k++) {
                    long start = System.nanoTime();
                    call(runners.get(name), forced.get(name), input);
                    millis.computeIfAbsent(name, n -> new ArrayList<>()).add((System.nanoTime() - start) / 1e6);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s batch %d, %d rounds x %d calls per case; wall ms per call: median "
                + "[quartiles]; ratio = median of VARIANT:pool / median of the case%n", model, batch, rounds, calls);
        for (String name : cases) {
            List<Double> times = millis.get(name);
            String pool = name.split(":")[0] + ":pool";
            double ratio = millis.containsKey(pool) ? median(millis.get(pool)) / median(times) : Double.NaN;
            System.out.printf(Locale.ROOT, "  %-12s %9.3f [%8.3f, %8.3f] %6.2fx%s%n", name, median(times),
                    quantile(times, 0.25), quantile(times, 0.75), ratio, choices(runners.get(name)));
        }
        if (Boolean.getBoolean("rpg4j.threadReport")) {
            runners.forEach((name, runner) -> {
                System.out.println(name + ":");
                runner.report().stream().filter(c -> c.batch() > 0 || c.calibration().contains("threads:"))
                        .forEach(c -> System.out.println("  " + c));
            });
        }
    }

    private static void call(SparseRunner runner, CallThreads choice, INDArray input) {
        if (choice == null) {
            runner.output(input);
        } else {
            KernelThreading.callWith(choice, () -> runner.output(input));
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
            case "chosen", "claimed" -> KernelThreading.PER_CALL;
            default -> throw new IllegalArgumentException(
                    "threading suffix must be pool, caller, chosen or claimed, got "
                            + name);
        };
    }

    /** @return for a per-step choice, how many steps chose each option (one batch size per run) */
    private static String choices(SparseRunner runner) {
        List<LayerChoice> lines = runner.report();
        long caller = lines.stream().filter(c -> c.calibration().contains("threads: caller only")).count();
        long pool = lines.stream().filter(c -> c.calibration().contains("threads: caller and pool")).count();
        return caller + pool == 0 ? "" : "  steps on the caller only: " + caller + ", with the pool: " + pool;
    }

    private static double median(List<Double> values) {
        return quantile(values, 0.5);
    }

    private static double quantile(List<Double> values, double q) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double position = q * (sorted.length - 1);
        int low = (int) Math.floor(position);
        int high = Math.min(sorted.length - 1, low + 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }
}
