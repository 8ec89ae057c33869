package org.rpg4j.prune;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.rank.RankLossAggregate;
import org.rpg4j.rank.RankLossResult;

/**
 * The adversarial rank loss of every rank layer at one iteration, and the means to add its
 * gradient {@code (lambda / nActive) * dl/dW} to a gradient of the same tensor.
 */
public final class RankStep {
    private final Map<String, RankLossResult> results;
    private final Map<String, int[]> outputFirstAxes;
    private final RankLossAggregate aggregate;

    RankStep(Map<String, RankLossResult> results, Map<String, int[]> outputFirstAxes, RankLossAggregate aggregate) {
        this.results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
        this.outputFirstAxes = Map.copyOf(outputFirstAxes);
        this.aggregate = aggregate;
    }

    /** @return the per-layer results in tensor order (rank layers only) */
    public Map<String, RankLossResult> results() {
        return results;
    }

    /** @return mean loss over active layers, their count and the gradient coefficient {@code lambda / nActive} */
    public RankLossAggregate aggregate() {
        return aggregate;
    }

    /**
     * @param name the tensor name
     * @return the energy-chosen k of the named tensor, empty if it has no rank loss
     */
    public OptionalInt k(String name) {
        RankLossResult r = results.get(name);
        return r == null ? OptionalInt.empty() : OptionalInt.of(r.k());
    }

    /** @return the mean of the chosen {@code k} over the rank layers, {@code NaN} if there are none */
    public double meanTruncationRank() {
        return results.values().stream().mapToInt(RankLossResult::k).average().orElse(Double.NaN);
    }

    /**
     * Adds {@code (lambda / nActive) * dl/dW} of the named tensor to {@code gradient}; does nothing
     * for a tensor without rank loss or an inactive one.
     *
     * @param name tensor name
     * @param gradient array of the tensor's logical shape (any storage order, views allowed); modified
     */
    public void addGradientInPlace(String name, INDArray gradient) {
        RankLossResult r = results.get(name);
        if (r == null || !r.active() || aggregate.gradientCoefficient() == 0) {
            return;
        }
        INDArray target = gradient.permute(outputFirstAxes.get(name));
        if (!java.util.Arrays.equals(target.shape(), r.gradient().shape())) {
            throw new IllegalArgumentException("gradient of '" + name + "' must have the tensor's shape, got "
                    + java.util.Arrays.toString(gradient.shape()));
        }
        // mul first: castTo returns the same array when the type already matches, and the result must stay unchanged.
        target.addi(r.gradient().mul(aggregate.gradientCoefficient()).castTo(target.dataType()));
    }
}
