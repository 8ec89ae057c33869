package org.rpg4j.regrow;

import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.rpg4j.mask.LayerBudget;

/**
 * One topology update, as {@link TopologyUpdate#apply} takes it: the per-layer inputs and the
 * update-wide settings, validated once here. Each {@link LayerInput} has validated itself.
 *
 * @param layers one input per tensor, in the order of the global concatenation; at least one
 * @param globalDensity the scheduled density to re-threshold to, in (0, 1]; empty for a stationary
 *     update (the target was reached earlier: no re-threshold, drop and grow within the current masks)
 * @param dropFraction drop fraction {@code f} in [0, 1] ({@code CosineDropFraction.at})
 * @param regrowth the drop-and-grow criterion ({@link RegrowthKind#regrowth()} or a user one)
 * @param random the update's random stream: layer {@code l} gets the {@code l}-th
 *     {@link SplittableRandom#split()} of it (split in layer order, so results do not depend on
 *     thread timing); advanced by the update
 * @param budget how the density is shared between tensors (not used by a stationary update); ERK
 *     needs every layer's shape
 */
public record UpdateRequest(List<LayerInput> layers, OptionalDouble globalDensity, double dropFraction,
                            Regrowth regrowth, SplittableRandom random, LayerBudget budget) {
    /**
     * Validates the request once; {@code layers} is copied into an unmodifiable list.
     *
     * @param layers one input per tensor, in concatenation order; at least one, no null
     * @param globalDensity the scheduled density in (0, 1], or empty for a stationary update; not null
     * @param dropFraction drop fraction in [0, 1]
     * @param regrowth the drop-and-grow criterion, not null
     * @param random the update's random stream, not null; advanced by the update
     * @param budget how the density is shared between tensors, not null
     * @throws IllegalArgumentException naming the argument if it is null, a density or fraction is
     *     out of range, or the budget is ERK and a layer has no shape
     */
    public UpdateRequest {
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("layers must hold at least one tensor, got "
                    + (layers == null ? "null" : "none"));
        }
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l) == null) {
                throw new IllegalArgumentException("layers must not contain null, got one at index " + l);
            }
        }
        layers = List.copyOf(layers);
        if (globalDensity == null) {
            throw new IllegalArgumentException("globalDensity must not be null (OptionalDouble.empty() for a "
                    + "stationary update)");
        }
        if (globalDensity.isPresent() && !(globalDensity.getAsDouble() > 0 && globalDensity.getAsDouble() <= 1)) {
            throw new IllegalArgumentException("globalDensity must be in (0, 1], got " + globalDensity.getAsDouble());
        }
        if (!(dropFraction >= 0 && dropFraction <= 1)) {
            throw new IllegalArgumentException("dropFraction must be in [0, 1], got " + dropFraction);
        }
        if (regrowth == null) {
            throw new IllegalArgumentException(
                    "regrowth must not be null (for example RegrowthKind.GRADIENT.regrowth())");
        }
        if (random == null) {
            throw new IllegalArgumentException("random must not be null (a SplittableRandom seeded for this update)");
        }
        if (budget == null) {
            throw new IllegalArgumentException("budget must not be null, one of GLOBAL, UNIFORM, ERK");
        }
        if (budget == LayerBudget.ERK && globalDensity.isPresent()) {
            for (LayerInput layer : layers) {
                if (layer.shape() == null) {
                    throw new IllegalArgumentException("shape of '" + layer.name() + "' must be given: the ERK "
                            + "budget needs every layer's shape (LayerInput.withShape)");
                }
            }
        }
    }

    /**
     * A re-thresholding update: magnitude prune to {@code globalDensity} under {@code budget}, then drop and grow.
     *
     * @param layers one input per tensor, in concatenation order; at least one; with shapes if the budget is ERK
     * @param globalDensity the scheduled density to re-threshold to, in (0, 1]
     * @param dropFraction drop fraction in [0, 1]
     * @param regrowth the drop-and-grow criterion
     * @param random the update's random stream; advanced by the update
     * @param budget how the density is shared between tensors
     * @return the request (see the record components)
     * @throws IllegalArgumentException as the constructor
     */
    public static UpdateRequest threshold(List<LayerInput> layers, double globalDensity, double dropFraction,
                                          Regrowth regrowth, SplittableRandom random, LayerBudget budget) {
        return new UpdateRequest(layers, OptionalDouble.of(globalDensity), dropFraction, regrowth, random, budget);
    }

    /**
     * A stationary update (the target density was reached): drop and grow within the current masks.
     *
     * @param layers one input per tensor, in concatenation order; at least one
     * @param dropFraction drop fraction in [0, 1]
     * @param regrowth the drop-and-grow criterion
     * @param random the update's random stream; advanced by the update
     * @return the request (see the record components); its budget is {@link LayerBudget#GLOBAL}, unused
     * @throws IllegalArgumentException as the constructor
     */
    public static UpdateRequest stationary(List<LayerInput> layers, double dropFraction, Regrowth regrowth,
                                           SplittableRandom random) {
        return new UpdateRequest(layers, OptionalDouble.empty(), dropFraction, regrowth, random, LayerBudget.GLOBAL);
    }

    /** @return true when no re-threshold runs */
    public boolean isStationary() {
        return globalDensity.isEmpty();
    }
}
