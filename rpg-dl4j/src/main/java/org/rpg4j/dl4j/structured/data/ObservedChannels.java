package org.rpg4j.dl4j.structured.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.dl4j.graph.NetworkNode;
import org.rpg4j.dl4j.graph.PositionChannels;
import org.rpg4j.structured.ChannelGroup;

/**
 * Where a group's channels are observed: from each producer, forward through the batch
 * normalisation, activation and dropout layers that follow it alone, to the last of them (the
 * post-activation output the HRank and DropNet papers measure). A group is observable when every
 * such node's output has exactly one position per channel of the group.
 */
final class ObservedChannels {
    private ObservedChannels() {}

    /**
     * @param deps the analysis
     * @return per unlocked, observable group id, its observed node names (one per producer)
     */
    static Map<Integer, List<String>> of(ChannelDependencies deps) {
        Map<Integer, List<String>> out = new LinkedHashMap<>();
        for (ChannelGroup g : deps.prunableGroups()) {
            List<String> nodes = new ArrayList<>();
            for (String producer : g.producers()) {
                String node = followPassThrough(deps, producer);
                if (oneToOne(deps.outputs(node), g)) {
                    nodes.add(node);
                }
            }
            if (!nodes.isEmpty() && nodes.size() == g.producers().size()) {
                out.put(g.id(), List.copyOf(nodes));
            }
        }
        return out;
    }

    /**
     * @param values per observed node, one value per output position
     * @param deps the analysis
     * @param group the group
     * @param nodes its observed nodes
     * @return per channel of the group, the average over its observed nodes
     */
    static double[] perChannel(Map<String, double[]> values, ChannelDependencies deps, ChannelGroup group,
                               List<String> nodes) {
        double[] out = new double[group.size()];
        for (String node : nodes) {
            double[] v = values.get(node);
            PositionChannels pc = deps.outputs(node);
            for (int i = 0; i < pc.size(); i++) {
                out[pc.channel()[i]] += v[i] / nodes.size();
            }
        }
        return out;
    }

    private static String followPassThrough(ChannelDependencies deps, String start) {
        String current = start;
        while (true) {
            List<NetworkNode> next = successors(deps, current);
            if (next.size() != 1 || next.get(0).inputs().size() != 1 || !passThrough(next.get(0))) {
                return current;
            }
            current = next.get(0).name();
        }
    }

    private static List<NetworkNode> successors(ChannelDependencies deps, String node) {
        return deps.graph().nodes().stream().filter(n -> n.inputs().contains(node)).toList();
    }

    private static boolean passThrough(NetworkNode n) {
        return n.layer() instanceof BatchNormalization || n.layer() instanceof ActivationLayer
                || n.layer() instanceof DropoutLayer;
    }

    private static boolean oneToOne(PositionChannels pc, ChannelGroup g) {
        if (pc.size() != g.size()) {
            return false;
        }
        boolean[] seen = new boolean[g.size()];
        for (int i = 0; i < pc.size(); i++) {
            if (pc.group()[i] != g.id() || seen[pc.channel()[i]]) {
                return false;
            }
            seen[pc.channel()[i]] = true;
        }
        return true;
    }
}
