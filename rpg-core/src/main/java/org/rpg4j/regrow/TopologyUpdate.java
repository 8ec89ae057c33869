package org.rpg4j.regrow;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.rpg4j.mask.LayerBudget;
import org.rpg4j.mask.LayerBudgets;
import org.rpg4j.mask.MaskSelection;
import org.rpg4j.mask.ParallelIndices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One topology update of RPG (Tian et al., "Towards Higher Ranks via Adversarial Weight Pruning",
 * NeurIPS 2023) as its reference code runs it ({@code RigL.py: _rigl_step}), on one
 * {@link UpdateRequest} of primitive arrays (validated once, when the request and its
 * {@link LayerInput}s are built; nothing is checked again here):
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
 * over all {@code N} weights (about fifteen passes); memory four arrays of N booleans (the
 * post-threshold, new and weight-keep masks, and the grow selection of the built-in GRADIENT
 * criterion, which reads the signed weights and scores directly); other criteria get, per layer in
 * flight, float arrays of the layer's magnitudes and grow scores as their contract describes.
 */
public final class TopologyUpdate {
    private static final Logger LOG = LoggerFactory.getLogger(TopologyUpdate.class);

    private TopologyUpdate() {
    }

    /**
     * Runs one topology update. Nothing in the request is modified, except that its random stream
     * is advanced by one {@link SplittableRandom#split()} per tensor.
     *
     * @param request the per-layer inputs and the update's settings, validated when it was built
     * @return the masks, per-layer counts and threshold, one entry per layer in request order
     * @throws IllegalArgumentException if {@code request} is null, or a layer lacks the grow scores
     *     its regrowth requires
     * @throws IllegalStateException if the regrowth breaks its contract
     */
    public static TopologyUpdateResult apply(UpdateRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("request must not be null (an UpdateRequest)");
        }
        List<LayerInput> inputs = request.layers();
        int tensors = inputs.size();
        float[][] weights = new float[tensors][];
        boolean[][] currentMasks = new boolean[tensors][];
        for (int l = 0; l < tensors; l++) {
            weights[l] = inputs.get(l).weights();
            currentMasks[l] = inputs.get(l).mask();
        }
        boolean stationary = request.isStationary();
        MaskSelection threshold = stationary ? null : LayerBudgets.select(request.budget(), weights, currentMasks,
                shapes(inputs), request.globalDensity().getAsDouble(), caps(inputs));
        boolean[][] post = new boolean[tensors][];
        for (int l = 0; l < tensors; l++) {
            post[l] = stationary ? currentMasks[l].clone() : threshold.masks()[l];
        }
        LayerOutcome[] outcomes = updateLayers(inputs, post, request);
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
                    + "grownFromPruned={}", stationary, request.globalDensity(), request.dropFraction(),
                    survivorsTotal, result.totalKept(), result.totalGrown(), result.totalGrownFromPruned());
        }
        return result;
    }

    /** @return every layer's shape, or null when some layer has none (the budget then does not need them) */
    private static long[][] shapes(List<LayerInput> inputs) {
        long[][] shapes = new long[inputs.size()][];
        for (int l = 0; l < shapes.length; l++) {
            shapes[l] = inputs.get(l).shape();
            if (shapes[l] == null) {
                return null;
            }
        }
        return shapes;
    }

    /** @return every layer's cap, or null when all are uncapped */
    private static double[] caps(List<LayerInput> inputs) {
        double[] caps = inputs.stream().mapToDouble(LayerInput::maxSparsity).toArray();
        return java.util.Arrays.stream(caps).allMatch(c -> c == 1.0) ? null : caps;
    }

    /**
     * Drop and grow of every layer. Layers are independent, each with its own split of
     * {@code random} (split in layer order), so they run in parallel with a deterministic result.
     */
    private static LayerOutcome[] updateLayers(List<LayerInput> inputs, boolean[][] post, UpdateRequest request) {
        int tensors = inputs.size();
        SplittableRandom[] streams = new SplittableRandom[tensors];
        for (int l = 0; l < tensors; l++) {
            streams[l] = request.random().split();
        }
        LayerOutcome[] outcomes = new LayerOutcome[tensors];
        // the first layer's error is rethrown as thrown, whatever the thread timing
        ParallelIndices.forEach(tensors, l -> outcomes[l] = updateLayer(inputs.get(l), post[l], request, streams[l]));
        return outcomes;
    }

    private record LayerOutcome(boolean[] newMask, boolean[] weightKeep, LayerUpdate summary) {
    }

    private static LayerOutcome updateLayer(LayerInput input, boolean[] post, UpdateRequest request,
                                            SplittableRandom random) {
        float[] weights = input.weights();
        boolean[] current = input.mask();
        float[] scores = input.scores();
        double dropFraction = request.dropFraction();
        Regrowth regrowth = request.regrowth();
        String l = "'" + input.name() + "'";
        int n = weights.length;
        int survivors = count(post);
        // S_l exactly as the reference: (mask == 0).sum() / numel, in double
        double sparsity = (double) (n - survivors) / n;
        if (sparsity <= 0) {
            LayerUpdate summary = new LayerUpdate(n, sparsity, survivors, true, RegrowthQuota.unchanged(n, survivors),
                    survivors, 0, 0, 0);
            return new LayerOutcome(post.clone(), keepMask(post, post, current), summary);
        }
        RegrowthQuota reference = request.isStationary() ? RegrowthQuota.stationary(n, survivors, dropFraction)
                : RegrowthQuota.reference(n, sparsity, dropFraction);
        RegrowthQuota quota = regrowth.quota(reference, survivors);
        if (regrowth.requiresGrowScores() && scores == null) {
            throw new IllegalArgumentException("scores of " + l + " must not be null: regrowth " + regrowth
                    + " needs grow scores and the layer has sparsity " + sparsity);
        }
        // the built-in reference criterion reads the signed arrays (no full-size magnitude, score or
        // mask copies); any other criterion gets the arrays its contract describes
        boolean[] newMask = regrowth instanceof GradientRegrowth
                ? GradientRegrowth.regrowFromSigned(weights, current, post, scores, quota)
                : regrowth.regrow(magnitudes(weights, current, post), post.clone(), absolute(scores), quota, random);
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
