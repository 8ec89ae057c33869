package org.rpg4j.dl4j.structured.data;

import java.util.Map;
import org.rpg4j.structured.ChannelCriterion;
import org.rpg4j.structured.ChannelGroup;
import org.rpg4j.structured.TensorSource;

/** A criterion whose scores were measured beforehand (activation statistics), one array per group id. */
final class StatisticCriterion implements ChannelCriterion {
    private final String name;
    private final Map<Integer, double[]> scores;

    StatisticCriterion(String name, Map<Integer, double[]> scores) {
        this.name = name;
        this.scores = Map.copyOf(scores);
    }

    @Override
    public double[] scores(ChannelGroup group, TensorSource tensors) {
        double[] s = scores.get(group.id());
        if (s == null) {
            throw new IllegalStateException("criterion '" + name + "' has no statistics for group '" + group.name()
                    + "'; only measured groups may be ranked");
        }
        return s.clone();
    }

    /** @return whether the group was measured */
    boolean covers(ChannelGroup group) {
        return scores.containsKey(group.id());
    }

    @Override
    public String name() {
        return name;
    }
}
