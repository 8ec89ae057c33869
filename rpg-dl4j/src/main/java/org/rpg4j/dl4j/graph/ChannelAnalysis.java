package org.rpg4j.dl4j.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.rpg4j.structured.ChannelGroup;
import org.rpg4j.structured.ChannelSlice;

/**
 * Channel dependency analysis: positions joined by {@link SpaceTracing} are one channel; channels
 * created by the same layer (or joined into one activation by an element-wise vertex) form one
 * group, numbered in the order their first producer creates them. A group is locked if any of its
 * channels was locked on the way (network input or output, an unknown layer or vertex, a
 * channel-mixing activation, a preprocessor other than an NCHW flatten).
 */
final class ChannelAnalysis {
    private final SpaceTracing t;
    private final int[] groupOfRoot;
    private final int[] channelOfRoot;
    private final List<Set<String>> producerNames = new ArrayList<>();
    private final List<String> lockReasons = new ArrayList<>();
    private final List<Integer> sizes = new ArrayList<>();

    private ChannelAnalysis(SpaceTracing t) {
        this.t = t;
        this.groupOfRoot = new int[t.sets.size()];
        this.channelOfRoot = new int[t.sets.size()];
        Arrays.fill(groupOfRoot, -1);
    }

    static ChannelDependencies analyse(NetworkGraph graph) {
        SpaceTracing t = SpaceTracing.trace(graph);
        ChannelAnalysis a = new ChannelAnalysis(t);
        a.numberGroups();
        List<ChannelGroup> groups = a.groups();
        Map<String, PositionChannels> outputs = new HashMap<>();
        t.outputs.forEach((k, v) -> outputs.put(k, a.channels(v)));
        Map<String, PositionChannels> inputs = new HashMap<>();
        t.layerInputs.forEach((k, v) -> inputs.put(k, a.channels(v)));
        Map<String, List<AxisChannels>> axes = new HashMap<>();
        for (TensorAxis x : t.axes) {
            axes.computeIfAbsent(x.layer(), k -> new ArrayList<>())
                    .add(new AxisChannels(x.param(), x.axis(), a.channels(x.positions()), x.role()));
        }
        return new ChannelDependencies(graph, groups, outputs, inputs, axes);
    }

    /** Joins the channels of each producer space into groups, then numbers groups and channels. */
    private void numberGroups() {
        PositionSets joined = new PositionSets();
        int[] node = joined.fresh(t.sets.size());
        for (SpaceTracing.Producer p : t.producers) {
            for (int id : p.positions()) {
                joined.union(node[t.sets.find(p.positions()[0])], node[t.sets.find(id)]);
            }
        }
        Map<Integer, Integer> groupOfJoined = new HashMap<>();
        for (SpaceTracing.Producer p : t.producers) {
            for (int id : p.positions()) {
                int root = t.sets.find(id);
                if (groupOfRoot[root] >= 0) {
                    continue;
                }
                int g = groupOfJoined.computeIfAbsent(joined.find(node[root]), k -> newGroup());
                groupOfRoot[root] = g;
                channelOfRoot[root] = sizes.get(g);
                sizes.set(g, sizes.get(g) + 1);
                producerNames.get(g).add(p.name());
                String reason = t.sets.lockReason(root);
                if (reason != null && lockReasons.get(g) == null) {
                    lockReasons.set(g, reason);
                }
            }
        }
        for (SpaceTracing.Producer p : t.producers) {
            producerNames.get(groupOfRoot[t.sets.find(p.positions()[0])]).add(p.name());
        }
    }

    private int newGroup() {
        sizes.add(0);
        producerNames.add(new LinkedHashSet<>());
        lockReasons.add(null);
        return sizes.size() - 1;
    }

    private List<ChannelGroup> groups() {
        List<List<ChannelSlice>> slices = new ArrayList<>();
        for (int g = 0; g < sizes.size(); g++) {
            slices.add(new ArrayList<>());
        }
        for (TensorAxis x : t.axes) {
            SliceRuns.split(x, channels(x.positions()), slices);
        }
        List<ChannelGroup> groups = new ArrayList<>();
        for (int g = 0; g < sizes.size(); g++) {
            groups.add(new ChannelGroup(g, sizes.get(g), List.copyOf(producerNames.get(g)), slices.get(g),
                    Optional.ofNullable(lockReasons.get(g))));
        }
        return groups;
    }

    private PositionChannels channels(int[] positions) {
        int[] group = new int[positions.length];
        int[] channel = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            int root = t.sets.find(positions[i]);
            group[i] = groupOfRoot[root];
            channel[i] = channelOfRoot[root];
        }
        return new PositionChannels(group, channel);
    }
}
