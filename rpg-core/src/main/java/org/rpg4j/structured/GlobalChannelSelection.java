package org.rpg4j.structured;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Global ranking: the channels of every eligible group compete in one ranking, and the lowest
 * {@code floor(sparsity * total eligible channels)} are removed, never the last channel of a group.
 *
 * <p>Criteria scale differently between layers (a filter norm grows with the filter's size), so each
 * group's scores are divided by that group's largest score before ranking (a group whose scores are
 * all 0 keeps them at 0). Ties: the lower normalised score goes first, then the lower group id, then
 * the higher channel index.
 */
public final class GlobalChannelSelection {
    private GlobalChannelSelection() {}

    /**
     * @param groups the groups of one analysis
     * @param criterion scores of each eligible group's channels
     * @param tensors the network's tensors, read by the criterion
     * @param sparsity fraction of all eligible channels to remove, in [0, 1)
     * @param eligible which unlocked groups take part (locked groups never do); the others keep everything
     * @return the keep masks
     * @throws IllegalArgumentException if an argument is null, {@code sparsity} is outside [0, 1), or the
     *     criterion returns the wrong number of scores or a non-finite score
     */
    public static KeepSelection select(List<ChannelGroup> groups, ChannelCriterion criterion, TensorSource tensors,
                                       double sparsity, Predicate<ChannelGroup> eligible) {
        Checks.notNull("groups", groups);
        Checks.notNull("criterion", criterion);
        Checks.notNull("tensors", tensors);
        Checks.notNull("eligible", eligible);
        Checks.sparsity("sparsity", sparsity);
        List<double[]> candidates = new ArrayList<>();
        Map<Integer, boolean[]> keep = new HashMap<>();
        Map<Integer, Integer> kept = new HashMap<>();
        int total = 0;
        for (ChannelGroup g : groups) {
            if (g.locked() || !eligible.test(g)) {
                continue;
            }
            double[] scores = criterion.scores(g, tensors);
            ChannelSelection.lowestRemoved(g, scores, 0, criterion);
            double max = Arrays.stream(scores).max().orElse(0);
            for (int c = 0; c < scores.length; c++) {
                candidates.add(new double[] {max > 0 ? scores[c] / max : 0, g.id(), c});
            }
            boolean[] all = new boolean[g.size()];
            Arrays.fill(all, true);
            keep.put(g.id(), all);
            kept.put(g.id(), g.size());
            total += g.size();
        }
        candidates.sort((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0])
                : a[1] != b[1] ? Double.compare(a[1], b[1]) : Double.compare(b[2], a[2]));
        int remove = (int) Math.floor(sparsity * total);
        KeepSelection selection = KeepSelection.keepAll(groups);
        for (int i = 0; i < candidates.size() && remove > 0; i++) {
            int id = (int) candidates.get(i)[1];
            if (kept.get(id) > 1) {
                keep.get(id)[(int) candidates.get(i)[2]] = false;
                kept.put(id, kept.get(id) - 1);
                remove--;
            }
        }
        for (Map.Entry<Integer, boolean[]> e : keep.entrySet()) {
            selection = selection.with(e.getKey(), e.getValue());
        }
        return selection;
    }
}
