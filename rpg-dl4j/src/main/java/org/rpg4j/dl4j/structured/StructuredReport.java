package org.rpg4j.dl4j.structured;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.rpg4j.structured.ChannelGroup;

/**
 * What a structured pruning run did, per layer with parameters: output channels, parameters and
 * multiply-adds per image, before and after; the locked groups with their reasons; removed
 * channels whose constant output could not be folded exactly.
 *
 * @param layers per layer, in network order
 * @param lockedGroups {@code "producer (n channels): reason"} for every locked group
 * @param inexactFolds see {@link org.rpg4j.dl4j.shrink.ShrinkResult#inexactFolds()}
 */
public record StructuredReport(List<Row> layers, List<String> lockedGroups, List<String> inexactFolds) {
    /**
     * Copies the lists.
     *
     * @param layers per layer, in network order; not null
     * @param lockedGroups {@code "producer (n channels): reason"} for every locked group; not null
     * @param inexactFolds removed channels whose constant could not be folded exactly; not null
     */
    public StructuredReport {
        layers = List.copyOf(layers);
        lockedGroups = List.copyOf(lockedGroups);
        inexactFolds = List.copyOf(inexactFolds);
    }

    /**
     * One layer before and after.
     *
     * @param before the layer in the original network
     * @param after the layer in the shrunk network
     */
    public record Row(LayerCost before, LayerCost after) {}

    static StructuredReport of(Map<String, LayerCost> before, Map<String, LayerCost> after, List<ChannelGroup> groups,
                               List<String> inexactFolds) {
        List<Row> rows = new ArrayList<>();
        before.forEach((name, b) -> rows.add(new Row(b, after.get(name))));
        List<String> locked = groups.stream().filter(ChannelGroup::locked)
                .map(g -> g.name() + " (" + g.size() + " channels): " + g.lockReason().orElseThrow()).toList();
        return new StructuredReport(rows, locked, inexactFolds);
    }

    /** @return total parameters of the layers with parameters, before */
    public long paramsBefore() {
        return layers.stream().mapToLong(r -> r.before().params()).sum();
    }

    /** @return total parameters after */
    public long paramsAfter() {
        return layers.stream().mapToLong(r -> r.after().params()).sum();
    }

    /** @return total multiply-adds per image before ({@code -1} if the input shape was not given) */
    public long macsBefore() {
        return layers.stream().anyMatch(r -> r.before().macs() < 0) ? -1
                : layers.stream().mapToLong(r -> r.before().macs()).sum();
    }

    /** @return total multiply-adds per image after ({@code -1} if the input shape was not given) */
    public long macsAfter() {
        return layers.stream().anyMatch(r -> r.after().macs() < 0) ? -1
                : layers.stream().mapToLong(r -> r.after().macs()).sum();
    }

    /** @return the report as JSON */
    public String toJson() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("paramsBefore", paramsBefore()).put("paramsAfter", paramsAfter())
                .put("macsBefore", macsBefore()).put("macsAfter", macsAfter());
        ArrayNode rows = root.putArray("layers");
        for (Row r : layers) {
            rows.addObject().put("layer", r.before().layer()).put("type", r.before().type())
                    .put("channelsBefore", r.before().channels()).put("channelsAfter", r.after().channels())
                    .put("paramsBefore", r.before().params()).put("paramsAfter", r.after().params())
                    .put("macsBefore", r.before().macs()).put("macsAfter", r.after().macs());
        }
        lockedGroups.forEach(root.putArray("lockedGroups")::add);
        inexactFolds.forEach(root.putArray("inexactFolds")::add);
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not write the report as JSON", e);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format("%-28s %-24s %15s %23s %25s%n", "layer", "type",
                "channels", "parameters", "MACs/image"));
        for (Row r : layers) {
            sb.append(String.format("%-28s %-24s %7d -> %-5d %10d -> %-10d %11d -> %-11d%n", r.before().layer(),
                    r.before().type(), r.before().channels(), r.after().channels(), r.before().params(),
                    r.after().params(), r.before().macs(), r.after().macs()));
        }
        sb.append(String.format("total: parameters %d -> %d, MACs/image %d -> %d%n", paramsBefore(), paramsAfter(),
                macsBefore(), macsAfter()));
        lockedGroups.forEach(l -> sb.append("locked: ").append(l).append('\n'));
        inexactFolds.forEach(l -> sb.append("inexact fold: ").append(l).append('\n'));
        return sb.toString();
    }
}
