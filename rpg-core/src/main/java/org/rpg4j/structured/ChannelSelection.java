package org.rpg4j.structured;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/** Turns channel scores into keep masks. */
public final class ChannelSelection {
    private ChannelSelection() {}

    /**
     * Per group, removes the {@code floor(sparsity * size)} lowest-scored channels (ties: the higher
     * index goes first), never all of them: at least one channel of each group stays. Locked groups
     * keep everything.
     *
     * @param groups the groups of one analysis
     * @param criterion scores of each unlocked group's channels
     * @param tensors the network's tensors, read by the criterion
     * @param sparsity fraction of each group's channels to remove, in [0, 1)
     * @return the keep masks
     * @throws IllegalArgumentException if an argument is null, {@code sparsity} is outside [0, 1), or the
     *     criterion returns the wrong number of scores or a non-finite score
     */
    public static KeepSelection perGroup(List<ChannelGroup> groups, ChannelCriterion criterion, TensorSource tensors,
                                         double sparsity) {
        Checks.sparsity("sparsity", sparsity);
        return perGroup(groups, criterion, tensors, g -> sparsity);
    }

    /**
     * Same as {@link #perGroup(List, ChannelCriterion, TensorSource, double)} with a sparsity chosen per
     * group (0 leaves a group whole and does not call the criterion on it).
     *
     * @param groups the groups of one analysis
     * @param criterion scores of each unlocked group's channels
     * @param tensors the network's tensors, read by the criterion
     * @param sparsityOf the fraction of a group's channels to remove, in [0, 1), asked once per unlocked group
     * @return the keep masks
     * @throws IllegalArgumentException if an argument is null, a group's sparsity is outside [0, 1), or
     *     the criterion returns the wrong number of scores or a non-finite score
     */
    public static KeepSelection perGroup(List<ChannelGroup> groups, ChannelCriterion criterion, TensorSource tensors,
                                         ToDoubleFunction<ChannelGroup> sparsityOf) {
        Checks.notNull("groups", groups);
        Checks.notNull("criterion", criterion);
        Checks.notNull("tensors", tensors);
        Checks.notNull("sparsityOf", sparsityOf);
        KeepSelection selection = KeepSelection.keepAll(groups);
        for (ChannelGroup g : groups) {
            if (g.locked()) {
                continue;
            }
            double sparsity = Checks.sparsity("sparsity of group '" + g.name() + "'", sparsityOf.applyAsDouble(g));
            int remove = Math.min((int) Math.floor(sparsity * g.size()), g.size() - 1);
            if (remove > 0) {
                selection = selection.with(g.id(), lowestRemoved(g, criterion.scores(g, tensors), remove, criterion));
            }
        }
        return selection;
    }

    /** @return keep mask with the {@code remove} lowest scores false */
    static boolean[] lowestRemoved(ChannelGroup g, double[] scores, int remove, ChannelCriterion criterion) {
        if (scores == null || scores.length != g.size()) {
            throw new IllegalArgumentException("criterion '" + criterion.name() + "' returned "
                    + (scores == null ? "null" : scores.length + " scores") + " for group '" + g.name() + "' of "
                    + g.size() + " channels");
        }
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException("criterion '" + criterion.name() + "' returned score "
                        + scores[i] + " for channel " + i + " of group '" + g.name() + "'");
            }
        }
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> scores[i]).thenComparing(i -> -i));
        boolean[] keep = new boolean[scores.length];
        Arrays.fill(keep, true);
        for (int r = 0; r < remove; r++) {
            keep[order[r]] = false;
        }
        return keep;
    }
}
