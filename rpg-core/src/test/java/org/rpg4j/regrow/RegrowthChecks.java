package org.rpg4j.regrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Regrowth}, as tests that any implementation can run: extend this class in
 * a JUnit 5 test and return your criterion from {@link #regrowth()}. rpg4j runs it against every
 * {@link RegrowthKind}.
 *
 * <p>Each check runs seeded random layers of sizes 1 to 4096, sparsities from 0.01 to 1 and drop
 * fractions 0, 1 and in between, in the states {@link TopologyUpdate} calls a regrowth in: the
 * post-threshold mask, magnitudes that are 0 outside it, finite non-negative grow scores (null when
 * the criterion does not {@linkplain Regrowth#requiresGrowScores() require} them), and the quota
 * from {@link Regrowth#quota} on the reference quota. The checks: a new mask of length {@code N}
 * with exactly {@code quota.activeCount()} true entries; inputs unmodified; the same mask for the
 * same inputs and random state; the same masks when layers run in parallel, each with its own
 * stream; a quota of the layer's size.
 *
 * <p>Get it with the test-jar of rpg-core (see {@code DensityCurveChecks} for the dependency).
 */
public abstract class RegrowthChecks {
    private static final int TRIALS = 200;
    private static final int[] SIZES = {1, 2, 7, 64, 333, 1000, 4096};

    /** @return the criterion under test (called once per test) */
    protected abstract Regrowth regrowth();

    /** One layer as {@link TopologyUpdate} hands it to a regrowth. */
    private record Layer(float[] magnitudes, boolean[] mask, float[] growScores, RegrowthQuota quota, long seed) {
        boolean[] regrow(Regrowth regrowth) {
            return regrowth.regrow(magnitudes, mask, growScores, quota, new SplittableRandom(seed));
        }
    }

    /** The new mask has the layer's length and exactly {@code quota.activeCount()} true entries. */
    @Test
    public void newMaskHasExactlyTheQuotaActiveCount() {
        Regrowth regrowth = regrowth();
        for (Layer layer : layers(regrowth, 1)) {
            boolean[] next = layer.regrow(regrowth);
            assertNotNull(next, "regrow returned null");
            assertEquals(layer.mask().length, next.length, "new mask length");
            assertEquals(layer.quota().activeCount(), count(next),
                    "active entries of the new mask for quota " + layer.quota());
        }
    }

    /** Magnitudes, mask and grow scores are not modified; the result is a new array. */
    @Test
    public void inputsAreNotModified() {
        Regrowth regrowth = regrowth();
        for (Layer layer : layers(regrowth, 2)) {
            float[] magnitudes = layer.magnitudes().clone();
            boolean[] mask = layer.mask().clone();
            float[] scores = layer.growScores() == null ? null : layer.growScores().clone();
            boolean[] next = layer.regrow(regrowth);
            assertArrayEquals(magnitudes, layer.magnitudes(), "magnitudes were modified");
            assertArrayEquals(mask, layer.mask(), "mask was modified");
            assertArrayEquals(scores, layer.growScores(), "growScores were modified");
            if (next == layer.mask()) {
                throw new AssertionError("regrow must return a new array, not the mask it was given");
            }
        }
    }

    /** The same inputs and the same random state give the same mask. */
    @Test
    public void deterministicGivenInputsAndRandomState() {
        Regrowth regrowth = regrowth();
        for (Layer layer : layers(regrowth, 3)) {
            assertArrayEquals(layer.regrow(regrowth), layer.regrow(regrowth),
                    "two calls with equal inputs and random state gave different masks");
        }
    }

    /** Layers regrown concurrently (each with its own stream) give the masks of a sequential run. */
    @Test
    public void threadSafeAcrossLayers() {
        Regrowth regrowth = regrowth();
        Layer[] layers = layers(regrowth, 4);
        boolean[][] sequential = new boolean[layers.length][];
        for (int l = 0; l < layers.length; l++) {
            sequential[l] = layers[l].regrow(regrowth);
        }
        boolean[][] parallel = new boolean[layers.length][];
        IntStream.range(0, layers.length).parallel().forEach(l -> parallel[l] = layers[l].regrow(regrowth));
        for (int l = 0; l < layers.length; l++) {
            assertArrayEquals(sequential[l], parallel[l], "layer " + l + " differs when layers run in parallel");
        }
    }

    /** The quota the criterion fulfils is for the same layer size as the reference quota. */
    @Test
    public void quotaKeepsTheLayerSize() {
        Regrowth regrowth = regrowth();
        for (Layer layer : layers(regrowth, 5)) {
            assertEquals(layer.mask().length, layer.quota().size(), "quota size");
        }
    }

    private static Layer[] layers(Regrowth regrowth, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Layer[] layers = new Layer[TRIALS];
        for (int t = 0; t < TRIALS; t++) {
            int n = SIZES[t % SIZES.length];
            // S > 0 always (TopologyUpdate skips layers with S <= 0); every 9th layer is fully pruned
            double sparsity = t % 9 == 0 ? 1.0 : 0.01 + 0.98 * random.nextDouble();
            double dropFraction = t % 5 == 0 ? 0.0 : t % 5 == 1 ? 1.0 : random.nextDouble();
            boolean[] mask = randomMask(random, n, sparsity);
            int survivors = count(mask);
            if (survivors == n) {
                mask[random.nextInt(n)] = false;
                survivors--;
            }
            float[] magnitudes = new float[n];
            float[] scores = new float[n];
            for (int i = 0; i < n; i++) {
                // ties on purpose: magnitudes and scores from a small set of values
                magnitudes[i] = mask[i] ? (1 + random.nextInt(50)) / 64f : 0f;
                scores[i] = t % 7 == 0 ? 0f : random.nextInt(20) / 16f;
            }
            RegrowthQuota reference = RegrowthQuota.reference(n, (double) (n - survivors) / n, dropFraction);
            RegrowthQuota quota = regrowth.quota(reference, survivors);
            assertNotNull(quota, "quota(...) returned null");
            float[] growScores = regrowth.requiresGrowScores() || t % 2 == 0 ? scores : null;
            layers[t] = new Layer(magnitudes, mask, growScores, quota, random.nextLong());
        }
        return layers;
    }

    private static boolean[] randomMask(SplittableRandom random, int n, double sparsity) {
        boolean[] mask = new boolean[n];
        for (int i = 0; i < n; i++) {
            mask[i] = random.nextDouble() >= sparsity;
        }
        return mask;
    }

    private static int count(boolean[] mask) {
        int c = 0;
        for (boolean b : mask) {
            c += b ? 1 : 0;
        }
        return c;
    }
}
