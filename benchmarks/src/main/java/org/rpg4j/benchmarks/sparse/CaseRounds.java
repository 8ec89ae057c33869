package org.rpg4j.benchmarks.sparse;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the tools that time whole calls of several cases, interleaved in one JVM, share ({@link RunnerThreads},
 * {@code structured.ThreadChoiceTime}): their arguments {@code MODEL BATCH ROUNDS CALLS CASE...}, the order of the
 * cases in each round (rotated by one case per round), the seeded input, and the median and quartiles of the
 * per-call times (so that one preempted call does not move the result).
 *
 * @param model the network, e.g. {@code RESNET56} or {@code VGG19} (checked by the tool that builds it)
 * @param batch images per call, at least 1
 * @param rounds rounds, at least 1
 * @param calls calls of each case per round, at least 1
 * @param cases the cases, at least one, in the order of the first round
 */
public record CaseRounds(String model, int batch, int rounds, int calls, List<String> cases) {

    /**
     * @throws IllegalArgumentException if a count is below 1 or there is no case
     */
    public CaseRounds {
        if (batch < 1 || rounds < 1 || calls < 1 || cases.isEmpty()) {
            throw new IllegalArgumentException("batch, rounds and calls must be >= 1 and at least one case given, got "
                    + batch + ", " + rounds + ", " + calls + " and " + cases);
        }
        cases = List.copyOf(cases);
    }

    /**
     * @param tool the tool's name, for the usage line of an error
     * @param args {@code MODEL BATCH ROUNDS CALLS CASE...}
     * @return the parsed arguments
     * @throws IllegalArgumentException if there are fewer than five arguments, a count is not a whole number or
     *     below 1
     */
    public static CaseRounds parse(String tool, String[] args) {
        if (args.length < 5) {
            throw new IllegalArgumentException("usage: " + tool + " MODEL BATCH ROUNDS CALLS CASE..., got "
                    + Arrays.toString(args));
        }
        return new CaseRounds(args[0], RunnerCase.count("BATCH", args[1]), RunnerCase.count("ROUNDS", args[2]),
                RunnerCase.count("CALLS", args[3]),
                List.of(Arrays.copyOfRange(args, 4, args.length)));
    }

    /** @return a {@code [batch, 3, 32, 32]} CIFAR-shaped float input, uniform in [0, 1), after ND4J's seed 3 */
    public INDArray input() {
        return PrunedCifarModels.input(batch);
    }

    /**
     * @param round 0-based round
     * @param position 0-based position in the round
     * @return the case run there: the order rotates by one case per round
     */
    public String caseAt(int round, int position) {
        return cases.get((position + round) % cases.size());
    }

    /**
     * @param values per-call times, at least one
     * @return their median (interpolated between the two middle values of an even count)
     */
    public static double median(List<Double> values) {
        return quantile(values, 0.5);
    }

    /**
     * @param values per-call times, at least one; not modified
     * @param q the quantile, in [0, 1]
     * @return the {@code q} quantile, linearly interpolated between the sorted values
     */
    public static double quantile(List<Double> values, double q) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double position = q * (sorted.length - 1);
        int low = (int) Math.floor(position);
        int high = Math.min(sorted.length - 1, low + 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }
}
