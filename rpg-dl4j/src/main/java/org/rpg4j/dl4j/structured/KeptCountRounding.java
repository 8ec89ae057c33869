package org.rpg4j.dl4j.structured;

import java.util.List;
import org.rpg4j.structured.ChannelCriterion;
import org.rpg4j.structured.ChannelGroup;
import org.rpg4j.structured.KeepSelection;
import org.rpg4j.structured.TensorSource;

/**
 * Rounds the kept channel count of every group that loses channels up to a multiple (capped at the
 * group's size), putting back the removed channels the criterion scores highest.
 */
final class KeptCountRounding {
    private KeptCountRounding() {}

    /**
     * @param groups the groups of one analysis
     * @param selection the selection to round; not modified
     * @param criterion the criterion that made it (re-scores only the groups that change)
     * @param tensors the network's tensors
     * @param multiple {@code >= 1}
     * @return the rounded selection
     */
    static KeepSelection roundUp(List<ChannelGroup> groups, KeepSelection selection, ChannelCriterion criterion,
                                 TensorSource tensors, int multiple) {
        KeepSelection out = selection;
        for (ChannelGroup g : groups) {
            boolean[] keep = selection.keep(g);
            int kept = KeepSelection.count(keep);
            int target = Math.min(g.size(), (kept + multiple - 1) / multiple * multiple);
            if (g.locked() || kept == g.size() || target == kept) {
                continue;
            }
            double[] scores = criterion.scores(g, tensors);
            for (int added = kept; added < target; added++) {
                int best = -1;
                for (int c = 0; c < keep.length; c++) {
                    if (!keep[c] && (best < 0 || scores[c] > scores[best])) {
                        best = c;
                    }
                }
                keep[best] = true;
            }
            out = out.with(g.id(), keep);
        }
        return out;
    }
}
