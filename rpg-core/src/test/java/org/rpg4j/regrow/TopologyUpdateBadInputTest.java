package org.rpg4j.regrow;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.rpg4j.mask.LayerBudget;

/** One test per rejected input of {@link TopologyUpdate#apply}: the message names the parameter and the value. */
class TopologyUpdateBadInputTest {
    private static final Regrowth GRADIENT = RegrowthKind.GRADIENT.regrowth();

    private float[][] w = {{1f, -2f, 3f}, {4f, 5f}};
    private boolean[][] m = {{true, true, true}, {true, true}};
    private float[][] g = {{0.1f, 0.2f, 0.3f}, {0.4f, 0.5f}};

    private TopologyUpdateResult run(float[][] weights, boolean[][] masks, float[][] scores, OptionalDouble density,
                                     double drop, Regrowth regrowth, double[] caps) {
        return TopologyUpdate.apply(weights, masks, scores, density, drop, regrowth, new SplittableRandom(0),
                LayerBudget.GLOBAL, null, caps);
    }

    private static void assertRejected(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(fragments[0]), "message '" + e.getMessage() + "' must start with the "
                + "parameter name '" + fragments[0] + "' (and not be wrapped by a thread pool)");
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void nullOrEmptyTensorSet() {
        assertRejected(() -> run(null, m, g, OptionalDouble.of(0.5), 0.3, GRADIENT, null), "weights", "null");
        assertRejected(() -> run(new float[0][], new boolean[0][], new float[0][], OptionalDouble.of(0.5), 0.3,
                GRADIENT, null), "weights", "at least one tensor");
        assertRejected(() -> run(new float[][] {{1f}, {}}, new boolean[][] {{true}, {}}, new float[2][],
                OptionalDouble.of(0.5), 0.3, GRADIENT, null), "weights[1]", "empty");
    }

    @Test
    void mismatchedMaskCountOrLength() {
        assertRejected(() -> run(w, new boolean[][] {{true, true, true}}, g, OptionalDouble.of(0.5), 0.3, GRADIENT,
                null), "currentMasks", "one mask per tensor (2)", "1");
        assertRejected(() -> run(w, new boolean[][] {{true, true, true}, {true}}, g, OptionalDouble.of(0.5), 0.3,
                GRADIENT, null), "currentMasks[1]", "length 2", "got 1");
    }

    @Test
    void mismatchedScoreCountOrLength() {
        assertRejected(() -> run(w, m, new float[][] {{1f, 1f, 1f}}, OptionalDouble.of(0.5), 0.3, GRADIENT, null),
                "denseScores", "(2)", "got 1");
        assertRejected(() -> run(w, m, new float[][] {{1f, 1f, 1f}, {1f, 1f, 1f}}, OptionalDouble.of(0.5), 0.3,
                GRADIENT, null), "denseScores[1]", "length 2", "got 3");
    }

    @Test
    void nanOrInfiniteWeights() {
        assertRejected(() -> run(new float[][] {{1f, Float.NaN, 3f}, {4f, 5f}}, m, g, OptionalDouble.of(0.5), 0.3,
                GRADIENT, null), "weights[0]", "finite", "NaN", "index 1");
        assertRejected(() -> run(new float[][] {{1f, 2f, 3f}, {Float.POSITIVE_INFINITY, 5f}}, m, g,
                OptionalDouble.of(0.5), 0.3, GRADIENT, null), "weights[1]", "Infinity", "index 0");
    }

    @Test
    void nanOrInfiniteScores() {
        assertRejected(() -> run(w, m, new float[][] {{0f, 0f, 0f}, {0f, Float.NEGATIVE_INFINITY}},
                OptionalDouble.of(0.5), 0.3, GRADIENT, null), "denseScores[1]", "finite", "-Infinity", "index 1");
        assertRejected(() -> run(w, m, new float[][] {{Float.NaN, 0f, 0f}, {0f, 0f}}, OptionalDouble.of(0.5), 0.3,
                GRADIENT, null), "denseScores[0]", "NaN");
    }

    @Test
    void missingScoresForGradientRegrowth() {
        // density 0.4: kk = 3, keep 3 of |w| = 1 2 3 | 4 5 -> tensor 0 keeps {2}, S_0 = 2/3 > 0
        assertRejected(() -> run(w, m, new float[][] {null, g[1]}, OptionalDouble.of(0.4), 0.3, GRADIENT, null),
                "denseScores[0]", "must not be null", "GRADIENT");
    }

    @Test
    void densityOutOfRange() {
        assertRejected(() -> run(w, m, g, OptionalDouble.of(0.0), 0.3, GRADIENT, null),
                "globalDensity", "(0, 1]", "0.0");
        assertRejected(() -> run(w, m, g, OptionalDouble.of(1.5), 0.3, GRADIENT, null), "globalDensity", "1.5");
        assertRejected(() -> run(w, m, g, null, 0.3, GRADIENT, null), "globalDensity", "OptionalDouble.empty()");
    }

    @Test
    void dropFractionOutOfRange() {
        assertRejected(() -> run(w, m, g, OptionalDouble.of(0.5), 1.2, GRADIENT, null), "dropFraction", "[0, 1]",
                "1.2");
        assertRejected(() -> run(w, m, g, OptionalDouble.of(0.5), Double.NaN, GRADIENT, null), "dropFraction", "NaN");
    }

    @Test
    void nullRegrowthRandomOrBudget() {
        assertRejected(() -> run(w, m, g, OptionalDouble.of(0.5), 0.3, null, null), "regrowth", "null");
        assertRejected(() -> TopologyUpdate.apply(w, m, g, OptionalDouble.of(0.5), 0.3, GRADIENT, null,
                LayerBudget.GLOBAL, null, null), "random", "null");
        assertRejected(() -> TopologyUpdate.apply(w, m, g, OptionalDouble.of(0.5), 0.3, GRADIENT,
                new SplittableRandom(0), null, null, null), "budget", "null");
    }

    @Test
    void capsOutOfRangeOrMiscounted() {
        assertRejected(() -> run(w, m, g, OptionalDouble.of(0.5), 0.3, GRADIENT, new double[] {0.5}),
                "maxSparsity", "(2)", "got 1");
        assertRejected(() -> run(w, m, g, OptionalDouble.of(0.5), 0.3, GRADIENT, new double[] {0.5, -0.5}),
                "maxSparsity[1]", "[0, 1]", "-0.5");
    }

    @Test
    void erkWithoutShapes() {
        assertRejected(() -> TopologyUpdate.apply(w, m, g, OptionalDouble.of(0.5), 0.3, GRADIENT,
                new SplittableRandom(0), LayerBudget.ERK, null, null), "shapes", "ERK");
    }
}
