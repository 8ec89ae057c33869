package org.rpg4j.dl4j.graph;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.rpg4j.structured.ChannelGroup;
import org.rpg4j.structured.KeepSelection;

/**
 * The result of the channel dependency analysis of one network: its {@link ChannelGroup}s, and for
 * every node and parameter axis which channel of which group each position is. Immutable; holds the
 * network's live parameter views through {@link #graph()}.
 */
public final class ChannelDependencies {
    private final NetworkGraph graph;
    private final List<ChannelGroup> groups;
    private final Map<String, PositionChannels> outputs;
    private final Map<String, PositionChannels> inputs;
    private final Map<String, List<AxisChannels>> axes;

    ChannelDependencies(NetworkGraph graph, List<ChannelGroup> groups, Map<String, PositionChannels> outputs,
                        Map<String, PositionChannels> inputs, Map<String, List<AxisChannels>> axes) {
        this.graph = graph;
        this.groups = List.copyOf(groups);
        this.outputs = Map.copyOf(outputs);
        this.inputs = Map.copyOf(inputs);
        this.axes = Map.copyOf(axes);
    }

    /**
     * Analyses an initialised network: see {@link ChannelAnalysis}.
     *
     * @param net an initialised {@code MultiLayerNetwork} or {@code ComputationGraph}; not modified
     * @return its channel groups
     * @throws IllegalArgumentException if {@code net} is null or of another type
     * @throws IllegalStateException if it is not initialised
     */
    public static ChannelDependencies analyse(Model net) {
        return ChannelAnalysis.analyse(NetworkGraph.of(net));
    }

    /** @return the analysed network's nodes */
    public NetworkGraph graph() {
        return graph;
    }

    /** @return every group, indexed by id */
    public List<ChannelGroup> groups() {
        return groups;
    }

    /** @return the unlocked groups */
    public List<ChannelGroup> prunableGroups() {
        return groups.stream().filter(g -> !g.locked()).toList();
    }

    /**
     * @param node a layer or vertex name
     * @return the channel of each position of its output
     * @throws IllegalArgumentException if there is no such node
     */
    public PositionChannels outputs(String node) {
        return lookup(outputs, node, "layer or vertex");
    }

    /**
     * @param layer a layer name
     * @return the channel of each position of the layer's input, after its preprocessor
     * @throws IllegalArgumentException if there is no such layer
     */
    public PositionChannels inputs(String layer) {
        return lookup(inputs, layer, "layer");
    }

    /**
     * @param layer a layer name
     * @return the channel-indexed parameter axes of {@code layer} (empty for layers without any)
     * @throws IllegalArgumentException if there is no layer or vertex of that name
     */
    public List<AxisChannels> axes(String layer) {
        graph.node(layer);
        return axes.getOrDefault(layer, List.of());
    }

    /**
     * @param selection keep masks (groups without one keep everything)
     * @return the masks as {@code [group id][channel]}, for {@link PositionChannels#kept}
     * @throws IllegalArgumentException if a mask's length differs from its group's size, or a
     *     locked group would lose channels
     */
    public boolean[][] keepMasks(KeepSelection selection) {
        boolean[][] keep = new boolean[groups.size()][];
        for (ChannelGroup g : groups) {
            keep[g.id()] = selection.keep(g);
            if (g.locked() && KeepSelection.count(keep[g.id()]) != g.size()) {
                throw new IllegalArgumentException("group " + g.id() + " ('" + g.name() + "') is locked ("
                        + g.lockReason().orElseThrow() + ") but the selection removes channels from it");
            }
        }
        for (int id : selection.groupIds()) {
            if (id < 0 || id >= groups.size()) {
                throw new IllegalArgumentException("selection names group " + id + "; the network has groups 0.."
                        + (groups.size() - 1));
            }
        }
        return keep;
    }

    private <T> T lookup(Map<String, T> map, String name, String what) {
        T value = map.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no " + what + " named '" + name + "' in the analysed network");
        }
        return value;
    }
}
