package org.rpg4j.dl4j.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;

/**
 * Walks a {@link NetworkGraph} once in topological order and gives every activation channel a
 * position id: pass-through layers reuse their input's ids, element-wise vertices join theirs,
 * concatenations append them, a flatten repeats each channel's id over its {@code h * w} block, and
 * layers with weights create fresh ids for their outputs. Layer-specific rules are in
 * {@link LayerRules}.
 */
final class SpaceTracing {
    /** A space of fresh positions and the node that created it. */
    record Producer(String name, int[] positions) {}

    final PositionSets sets = new PositionSets();
    final Map<String, int[]> outputs = new HashMap<>();
    final Map<String, int[]> layerInputs = new HashMap<>();
    final List<TensorAxis> axes = new ArrayList<>();
    final List<Producer> producers = new ArrayList<>();
    private final NetworkGraph graph;

    private SpaceTracing(NetworkGraph graph) {
        this.graph = graph;
    }

    static SpaceTracing trace(NetworkGraph graph) {
        SpaceTracing t = new SpaceTracing(graph);
        LayerRules rules = new LayerRules(t);
        for (NetworkNode n : graph.nodes()) {
            int[] out = n.layer() != null ? rules.layer(n, t.layerInput(n)) : t.vertex(n);
            if (n.networkOutput()) {
                t.sets.lock(out, "reaches the network output '" + n.name() + "'");
            }
            t.outputs.put(n.name(), out);
        }
        return t;
    }

    /** @return fresh positions recorded as a producer space of {@code name} */
    int[] fresh(String name, int n) {
        int[] ids = sets.fresh(n);
        producers.add(new Producer(name, ids));
        return ids;
    }

    /** @return fresh positions, locked, recorded as a producer space */
    int[] opaque(String name, int n, String reason) {
        int[] ids = fresh(name, n);
        sets.lock(ids, reason);
        return ids;
    }

    private int[] layerInput(NetworkNode n) {
        int[] in = input(n.inputs().get(0), n);
        int[] after = preProcess(n.name(), n.preProcessor(), in);
        layerInputs.put(n.name(), after);
        return after;
    }

    private int[] input(String name, NetworkNode consumer) {
        int[] ids = outputs.get(name);
        if (ids != null) {
            return ids;
        }
        if (!graph.inputs().contains(name)) {
            throw new IllegalStateException("node '" + consumer.name() + "' reads '" + name
                    + "' before it is computed");
        }
        int size = inputSize(consumer);
        ids = opaque(name, size, "network input '" + name + "'");
        outputs.put(name, ids);
        return ids;
    }

    /** Size of a network input, from the first layer that reads it (1 if it cannot be told). */
    private static int inputSize(NetworkNode consumer) {
        if (consumer.preProcessor() instanceof CnnToFeedForwardPreProcessor p) {
            return (int) p.getNumChannels();
        }
        if (consumer.layer() instanceof FeedForwardLayer f && f.getNIn() > 0) {
            return (int) f.getNIn();
        }
        return 1;
    }

    int[] preProcess(String name, InputPreProcessor p, int[] in) {
        if (p == null) {
            return in;
        }
        if (p instanceof CnnToFeedForwardPreProcessor flat && flat.getFormat() == CNN2DFormat.NCHW
                && flat.getNumChannels() == in.length) {
            // NCHW flatten: dense input index c * h * w + y * w + x holds channel c.
            int block = (int) (flat.getInputHeight() * flat.getInputWidth());
            int[] out = new int[in.length * block];
            for (int c = 0; c < in.length; c++) {
                java.util.Arrays.fill(out, c * block, (c + 1) * block, in[c]);
            }
            return out;
        }
        sets.lock(in, "preprocessor " + p.getClass().getSimpleName() + " before '" + name + "'");
        return in;
    }

    private int[] vertex(NetworkNode n) {
        List<int[]> in = new ArrayList<>();
        for (String i : n.inputs()) {
            in.add(input(i, n));
        }
        GraphVertex v = n.vertex();
        if (v instanceof ElementWiseVertex && sameLengths(in)) {
            for (int[] other : in.subList(1, in.size())) {
                for (int k = 0; k < other.length; k++) {
                    sets.union(in.get(0)[k], other[k]);
                }
            }
            return in.get(0);
        }
        if (v instanceof MergeVertex m && m.getMergeAxis() == 1) {
            return concat(in);
        }
        if (v instanceof ScaleVertex || v instanceof ShiftVertex) {
            return in.get(0);
        }
        if (v instanceof PreprocessorVertex pv) {
            return preProcess(n.name(), pv.getPreProcessor(), in.get(0));
        }
        String reason = "vertex '" + n.name() + "' (" + n.type() + ") is not understood";
        in.forEach(ids -> sets.lock(ids, reason));
        return opaque(n.name(), in.get(0).length, reason);
    }

    private static boolean sameLengths(List<int[]> in) {
        return in.stream().allMatch(a -> a.length == in.get(0).length);
    }

    private static int[] concat(List<int[]> in) {
        int[] out = new int[in.stream().mapToInt(a -> a.length).sum()];
        int at = 0;
        for (int[] a : in) {
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }

    static boolean isLayer(Layer l, Class<?> type) {
        return l.getClass() == type;
    }
}
