package org.rpg4j.regrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.rpg4j.mask.LayerBudget;

/**
 * One test per rejected input of a topology update: {@link LayerInput} and {@link UpdateRequest}
 * reject it when they are built (the update's door), with the exact message naming the tensor,
 * the argument and the value; {@link TopologyUpdate#apply} re-checks none of it.
 */
class TopologyUpdateBadInputTest {
    private static final Regrowth GRADIENT = RegrowthKind.GRADIENT.regrowth();

    private final float[] w = {1f, -2f, 3f};
    private final boolean[] m = {true, true, true};
    private final float[] g = {0.1f, 0.2f, 0.3f};
    private final List<LayerInput> layers = List.of(LayerInput.of("conv1", w, m, g),
            LayerInput.of("fc", new float[] {4f, 5f}, new boolean[] {true, true}, new float[] {0.4f, 0.5f}));

    private static void assertRejected(Executable call, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, e.getMessage());
    }

    private UpdateRequest request(OptionalDouble density, double drop, Regrowth regrowth, SplittableRandom random,
                                  LayerBudget budget) {
        return new UpdateRequest(layers, density, drop, regrowth, random, budget);
    }

    @Test
    void nullOrEmptyLayerData() {
        assertRejected(() -> LayerInput.of(null, w, m, g), "name must not be null");
        assertRejected(() -> LayerInput.of("conv1", null, m, g), "weights of 'conv1' must hold at least one value, "
                + "got null");
        assertRejected(() -> LayerInput.of("conv1", new float[0], new boolean[0], null), "weights of 'conv1' must "
                + "hold at least one value, got an empty array");
    }

    @Test
    void mismatchedMaskOrScoreLength() {
        assertRejected(() -> LayerInput.of("conv1", w, new boolean[] {true}, g), "mask of 'conv1' must have length 3, "
                + "got 1");
        assertRejected(() -> LayerInput.of("conv1", w, null, g), "mask of 'conv1' must have length 3, got null");
        assertRejected(() -> LayerInput.of("conv1", w, m, new float[2]), "scores of 'conv1' must be null or have "
                + "length 3, got 2");
    }

    @Test
    void nanOrInfiniteWeightsOrScores() {
        assertRejected(() -> LayerInput.of("conv1", new float[] {1f, Float.NaN, 3f}, m, g), "weights of 'conv1' must "
                + "be finite at a topology update, got NaN at flat index 1");
        assertRejected(() -> LayerInput.of("fc", new float[] {Float.POSITIVE_INFINITY, 5f}, new boolean[2], null),
                "weights of 'fc' must be finite at a topology update, got Infinity at flat index 0");
        assertRejected(() -> LayerInput.of("conv1", w, m, new float[] {0f, 0f, Float.NEGATIVE_INFINITY}),
                "scores of 'conv1' (its dense gradient) must be finite at a topology update, got -Infinity at flat index 2");
        // the largest finite float has exponent bits 0xfe: not mistaken for an infinity
        LayerInput.of("conv1", new float[] {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE}, m, g);
    }

    @Test
    void shapeOrCapThatDoesNotFit() {
        assertRejected(() -> LayerInput.of("conv1", w, m, g).withShape(new long[] {2, 2}), "shape of 'conv1' must "
                + "have dimensions >= 1 whose product is 3, got [2, 2]");
        assertRejected(() -> LayerInput.of("conv1", w, m, g).withShape(new long[] {3, 0}), "shape of 'conv1' must "
                + "have dimensions >= 1 whose product is 3, got [3, 0]");
        assertRejected(() -> LayerInput.of("conv1", w, m, g).withMaxSparsity(-0.5), "maxSparsity of 'conv1' must be "
                + "in [0, 1], got -0.5");
    }

    @Test
    void missingScoresForGradientRegrowth() {
        // density 0.4: kk = 3, keep 3 of |w| = 1 2 3 | 4 5 -> conv1 keeps {3}, S = 2/3 > 0, and needs scores
        List<LayerInput> noScores = List.of(LayerInput.of("conv1", w, m, null), layers.get(1));
        assertRejected(() -> TopologyUpdate.apply(UpdateRequest.threshold(noScores, 0.4, 0.3, GRADIENT,
                new SplittableRandom(0), LayerBudget.GLOBAL)), "scores of 'conv1' must not be null: regrowth "
                        + "GRADIENT needs grow scores and the layer has sparsity 0.6666666666666666");
    }

    @Test
    void densityOrDropFractionOutOfRange() {
        SplittableRandom r = new SplittableRandom(0);
        assertRejected(() -> request(OptionalDouble.of(0.0), 0.3, GRADIENT, r, LayerBudget.GLOBAL),
                "globalDensity must be in (0, 1], got 0.0");
        assertRejected(() -> request(OptionalDouble.of(1.5), 0.3, GRADIENT, r, LayerBudget.GLOBAL),
                "globalDensity must be in (0, 1], got 1.5");
        assertRejected(() -> request(null, 0.3, GRADIENT, r, LayerBudget.GLOBAL),
                "globalDensity must not be null (OptionalDouble.empty() for a stationary update)");
        assertRejected(() -> request(OptionalDouble.of(0.5), 1.2, GRADIENT, r, LayerBudget.GLOBAL),
                "dropFraction must be in [0, 1], got 1.2");
        assertRejected(() -> request(OptionalDouble.of(0.5), Double.NaN, GRADIENT, r, LayerBudget.GLOBAL),
                "dropFraction must be in [0, 1], got NaN");
    }

    @Test
    void nullRegrowthRandomOrBudget() {
        SplittableRandom r = new SplittableRandom(0);
        assertRejected(() -> request(OptionalDouble.of(0.5), 0.3, null, r, LayerBudget.GLOBAL),
                "regrowth must not be null (for example RegrowthKind.GRADIENT.regrowth())");
        assertRejected(() -> request(OptionalDouble.of(0.5), 0.3, GRADIENT, null, LayerBudget.GLOBAL),
                "random must not be null (a SplittableRandom seeded for this update)");
        assertRejected(() -> request(OptionalDouble.of(0.5), 0.3, GRADIENT, r, null),
                "budget must not be null, one of GLOBAL, UNIFORM, ERK");
        assertRejected(() -> TopologyUpdate.apply(null), "request must not be null (an UpdateRequest)");
    }

    @Test
    void emptyOrNullLayerList() {
        SplittableRandom r = new SplittableRandom(0);
        assertRejected(() -> new UpdateRequest(List.of(), OptionalDouble.of(0.5), 0.3, GRADIENT, r,
                LayerBudget.GLOBAL), "layers must hold at least one tensor, got none");
        assertRejected(() -> new UpdateRequest(null, OptionalDouble.of(0.5), 0.3, GRADIENT, r, LayerBudget.GLOBAL),
                "layers must hold at least one tensor, got null");
        List<LayerInput> withNull = new ArrayList<>(layers);
        withNull.add(null);
        assertRejected(() -> new UpdateRequest(withNull, OptionalDouble.of(0.5), 0.3, GRADIENT, r,
                LayerBudget.GLOBAL), "layers must not contain null, got one at index 2");
    }

    @Test
    void erkWithoutShapes() {
        assertRejected(() -> request(OptionalDouble.of(0.5), 0.3, GRADIENT, new SplittableRandom(0), LayerBudget.ERK),
                "shape of 'conv1' must be given: the ERK budget needs every layer's shape (LayerInput.withShape)");
        // a stationary update does not use the budget
        request(OptionalDouble.empty(), 0.3, GRADIENT, new SplittableRandom(0), LayerBudget.ERK);
    }
}
