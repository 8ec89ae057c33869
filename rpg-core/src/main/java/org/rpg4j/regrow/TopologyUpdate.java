package org.rpg4j.regrow;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.rpg4j.mask.LayerBudget;
import org.rpg4j.mask.LayerBudgets;
import org.rpg4j.mask.MaskSelection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One topology update of RPG (Tian et al., "Towards Higher Ranks via Adversarial Weight Pruning",
 * NeurIPS 2023) as its reference code runs it ({@code RigL.py: _rigl_step}), on primitive arrays:
 *
 * <ol>
 *   <li><b>Threshold</b> (when a global density is given): magnitude prune of all tensors to that
 *       density under the {@link LayerBudget} ({@link LayerBudgets#select}); positions inactive in
 *       the current masks rank as {@code |w| = 0}. Layer sparsity {@code S_l} = zeros / N of the
 *       result. With no density (<b>stationary</b>: the target was reached earlier) the current
 *       masks play the post-threshold role.
 *   <li><b>Drop and grow</b> per layer with {@code S_l > 0} (layers with {@code S_l <= 0} are
 *       skipped, as in the reference): counts from {@link RegrowthQuota#reference} (stationary:
 *       {@link RegrowthQuota#stationary}), possibly adjusted by {@link Regrowth#quota}; the
 *       {@link Regrowth} chooses the new mask.
 *   <li><b>Weights</b>: the caller multiplies its weights by {@code weightKeepMasks}, so grown
 *       positions that the threshold had pruned start at 0.
 * </ol>
 *
 * <p>Every selection is exact and deterministic: ties go to the lower flat index. Layers are
 * processed in parallel (the common fork-join pool); the result does not depend on it. Time O(N)
 * over all {@code N} weights (about fifteen passes); memory a few arrays of N booleans and, per
 * layer in flight, a few arrays of the layer's size.
 */
public final class TopologyUpdate {
    private static final Logger LOG = LoggerFactory.getLogger(TopologyUpdate.class);

    private TopologyUpdate() {
    }

    /**
     * Runs one topology update. Nothing passed in is modified, except that {@code random} is
     * advanced by one {@link SplittableRandom#split()} per tensor.
     *
     * @param weights one flat array per tensor (C order of its logical shape), all finite
     * @param currentMasks the masks before the update, one per tensor, same lengths
     * @param denseScores one entry per tensor, same lengths: the signed dense (unmasked) gradient
     *     plus any rank-loss term; {@code |.|} is taken inside. Entries may be null if the
     *     regrowth does not {@linkplain Regrowth#requiresGrowScores() require} them, or for layers
     *     that end up skipped.
     * @param globalDensity the scheduled density to re-threshold to, in (0, 1]; empty for a
     *     stationary update (no re-threshold: drop and grow within the current masks)
     * @param dropFraction drop fraction {@code f} in [0, 1] ({@code CosineDropFraction.at})
     * @param regrowth the drop-and-grow criterion ({@link RegrowthKind#regrowth()} or a user one)
     * @param random the update's random stream: layer {@code l} gets the {@code l}-th
     *     {@link SplittableRandom#split()} of it (split in layer order, so results do not depend on
     *     thread timing)
     * @param budget how the density is shared between tensors (ignored when stationary)
     * @param shapes logical shape per tensor; may be null unless {@code budget} is ERK
     * @param maxSparsity null or one cap per tensor in [0, 1] (1.0 = uncapped)
     * @return the masks, per-layer counts and threshold
     * @throws IllegalArgumentException if an argument is null where not allowed, counts or lengths
     *     differ, a weight or score is NaN or infinite, or a value is out of range
     * @throws IllegalStateException if {@code regrowth} breaks its contract
     */
    public static TopologyUpdateResult apply(float[][] weights, boolean[][] currentMasks, float[][] denseScores,
                                             OptionalDouble globalDensity, double dropFraction, Regrowth regrowth,
                                             SplittableRandom random, LayerBudget budget, long[][] shapes,
                                             double[] maxSparsity) {
        UpdateInputs.check(weights, currentMasks, denseScores, globalDensity, dropFraction, regrowth, random, budget,
                maxSparsity);
        boolean stationary = globalDensity.isEmpty();
        MaskSelection threshold = stationary ? null
                : LayerBudgets.select(budget, weights, currentMasks, shapes, globalDensity.getAsDouble(), maxSparsity);
        int tensors = weights.length;
        boolean[][] post = new boolean[tensors][];
        for (int l = 0; l < tensors; l++) {
            post[l] = stationary ? currentMasks[l].clone() : threshold.masks()[l];
        }
        LayerOutcome[] outcomes = updateLayers(weights, currentMasks, post, denseScores, stationary, dropFraction,
                regrowth, random);
        boolean[][] next = new boolean[tensors][];
        boolean[][] weightKeep = new boolean[tensors][];
        List<LayerUpdate> layers = new ArrayList<>(tensors);
        long survivorsTotal = 0;
        for (int l = 0; l < tensors; l++) {
            next[l] = outcomes[l].newMask();
            weightKeep[l] = outcomes[l].weightKeep();
            layers.add(outcomes[l].summary());
            survivorsTotal += outcomes[l].summary().survivors();
        }
        TopologyUpdateResult result = new TopologyUpdateResult(post, next, weightKeep, layers,
                stationary ? OptionalDouble.empty() : threshold.threshold(), survivorsTotal, stationary);
        if (LOG.isDebugEnabled()) {
            LOG.debug("topology update: stationary={}, density={}, dropFraction={}, survivors={}, kept={}, grown={}, "
                            + "grownFromPruned={}", stationary, globalDensity, dropFraction, survivorsTotal,
                    result.totalKept(), result.totalGrown(), result.totalGrownFromPruned());
        }
        return result;
    }

    /**
     * Drop and grow of every layer. Layers are independent, each with its own split of
     * {@code random} (split in layer order), so they run in parallel with a deterministic result.
     */
    private static LayerOutcome[] updateLayers(float[][] weights, boolean[][] currentMasks, boolean[][] post,
                                               float[][] denseScores, boolean stationary, double dropFraction,
                                               Regrowth regrowth, SplittableRandom random) {
        int tensors = weights.length;
        SplittableRandom[] streams = new SplittableRandom[tensors];
        for (int l = 0; l < tensors; l++) {
            streams[l] = random.split();
        }
        LayerOutcome[] outcomes = new LayerOutcome[tensors];
        RuntimeException[] errors = new RuntimeException[tensors];
        IntStream.range(0, tensors).parallel().forEach(l -> {
            try {
                outcomes[l] = updateLayer(l, weights[l], currentMasks[l], post[l], denseScores[l], stationary,
                        dropFraction, regrowth, streams[l]);
            } catch (RuntimeException e) {
                errors[l] = e;
            }
        });
        // rethrow as thrown (not wrapped by the pool), and the first layer's error whatever the thread timing
        for (RuntimeException e : errors) {
            if (e != null) {
                throw e;
            }
        }
        return outcomes;
    }

    private record LayerOutcome(boolean[] newMask, boolean[] weightKeep, LayerUpdate summary) {
    }

    private static LayerOutcome updateLayer(int l, float[] weights, boolean[] current, boolean[] post, float[] scores,
                                            boolean stationary, double dropFraction, Regrowth regrowth,
                                            SplittableRandom random) {
        int n = weights.length;
        int survivors = count(post);
        // S_l exactly as the reference: (mask == 0).sum() / numel, in double
        double sparsity = (double) (n - survivors) / n;
        if (sparsity <= 0) {
            LayerUpdate summary = new LayerUpdate(n, sparsity, survivors, true, RegrowthQuota.unchanged(n, survivors),
                    survivors, 0, 0, 0);
            return new LayerOutcome(post.clone(), keepMask(post, post, current), summary);
        }
        RegrowthQuota reference = stationary ? RegrowthQuota.stationary(n, survivors, dropFraction)
                : RegrowthQuota.reference(n, sparsity, dropFraction);
        RegrowthQuota quota = regrowth.quota(reference, survivors);
        if (regrowth.requiresGrowScores() && scores == null) {
            throw new IllegalArgumentException("denseScores[" + l + "] must not be null: regrowth " + regrowth
                    + " needs grow scores and layer " + l + " has sparsity " + sparsity);
        }
        boolean[] newMask = regrowth.regrow(magnitudes(weights, current, post), post.clone(), absolute(scores), quota,
                random);
        if (newMask == null || newMask.length != n) {
            throw new IllegalStateException("regrowth " + regrowth + " must return a mask of length " + n
                    + " for layer " + l + ", got " + (newMask == null ? "null" : String.valueOf(newMask.length)));
        }
        boolean[] weightKeep = new boolean[n];
        long active = 0;
        long retained = 0;
        for (int i = 0; i < n; i++) {
            // int arithmetic on the 0/1 values keeps this loop free of unpredictable branches
            int p = post[i] ? 1 : 0;
            int m = newMask[i] ? 1 : 0;
            weightKeep[i] = (p & m & (current[i] ? 1 : 0)) != 0;
            active += m;
            retained += p & m;
        }
        long dropped = survivors - retained;
        long grownFromPruned = active - retained;
        if (active != quota.activeCount()) {
            throw new IllegalStateException("regrowth " + regrowth + " must return exactly " + quota.activeCount()
                    + " active positions for layer " + l + ", got " + active);
        }
        LayerUpdate summary = new LayerUpdate(n, sparsity, survivors, false, quota, active, dropped,
                quota.growCount(), grownFromPruned);
        if (LOG.isDebugEnabled()) {
            LOG.debug("layer {}: N={}, S={}, K={}, keep={}, grow={}, dropped={}, grownFromPruned={}", l, n, sparsity,
                    quota.activeCount(), quota.keepCount(), quota.growCount(), dropped, grownFromPruned);
        }
        return new LayerOutcome(newMask, weightKeep, summary);
    }

    /** @return |w| where the position is active before and after the threshold, else 0 */
    private static float[] magnitudes(float[] weights, boolean[] current, boolean[] post) {
        float[] m = new float[weights.length];
        for (int i = 0; i < m.length; i++) {
            // branch-free (masks are unpredictable): clear the sign bit, and all bits where inactive
            int keep = -((current[i] ? 1 : 0) & (post[i] ? 1 : 0));
            m[i] = Float.intBitsToFloat(Float.floatToRawIntBits(weights[i]) & 0x7fffffff & keep);
        }
        return m;
    }

    private static float[] absolute(float[] scores) {
        if (scores == null) {
            return null;
        }
        float[] a = new float[scores.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.abs(scores[i]);
        }
        return a;
    }

    private static boolean[] keepMask(boolean[] post, boolean[] next, boolean[] current) {
        boolean[] keep = new boolean[post.length];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = post[i] & next[i] & current[i];
        }
        return keep;
    }

    private static int count(boolean[] mask) {
        int c = 0;
        for (boolean b : mask) {
            c += b ? 1 : 0;
        }
        return c;
    }
}
