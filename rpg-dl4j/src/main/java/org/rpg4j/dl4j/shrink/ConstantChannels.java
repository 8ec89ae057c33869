package org.rpg4j.dl4j.shrink;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.dl4j.graph.NetworkNode;

/**
 * Which activation channels are constant over every input, and their value at inference: a
 * channel whose producing weights are all zero outputs its bias, batch norm maps a constant to a
 * constant, and so on (rules in {@link ConstantRules}). {@code NaN} means "not known to be
 * constant". One {@code double[]} per node output and per layer input, aligned with
 * {@link ChannelDependencies#outputs} and {@link ChannelDependencies#inputs}.
 */
public final class ConstantChannels {
    private final Map<String, double[]> outputs = new HashMap<>();
    private final Map<String, double[]> inputs = new HashMap<>();

    private ConstantChannels() {}

    /**
     * @param deps the analysis of the network (its parameters are read, not modified)
     * @return the constant channels
     * @throws IllegalArgumentException if {@code deps} is null
     */
    public static ConstantChannels of(ChannelDependencies deps) {
        if (deps == null) {
            throw new IllegalArgumentException("deps must not be null (analyse the network with ChannelDependencies)");
        }
        ConstantChannels c = new ConstantChannels();
        for (NetworkNode n : deps.graph().nodes()) {
            double[] out;
            if (n.layer() != null) {
                int size = deps.inputs(n.name()).size();
                double[] in = c.outputs.get(n.inputs().get(0));
                in = in == null ? unknown(size) : ConstantRules.preProcess(n.preProcessor(), in, size);
                c.inputs.put(n.name(), in);
                out = ConstantRules.layer(n, in, deps.outputs(n.name()).size());
            } else {
                out = c.vertex(deps, n);
            }
            c.outputs.put(n.name(), out);
        }
        return c;
    }

    private double[] inputOf(ChannelDependencies deps, String name) {
        double[] v = outputs.get(name);
        // a network input: never constant (its size does not matter: the vertex rules check sizes)
        return v != null ? v : new double[0];
    }

    private double[] vertex(ChannelDependencies deps, NetworkNode n) {
        int size = deps.outputs(n.name()).size();
        double[][] in = n.inputs().stream().map(i -> inputOf(deps, i)).toArray(double[][]::new);
        GraphVertex v = n.vertex();
        if (v instanceof ElementWiseVertex e && Arrays.stream(in).allMatch(a -> a.length == size)) {
            return ConstantRules.elementWise(e.getOp(), in, size);
        }
        if (v instanceof MergeVertex) {
            double[] out = new double[size];
            int at = 0;
            for (double[] a : in) {
                System.arraycopy(a, 0, out, at, Math.min(a.length, size - at));
                at += a.length;
            }
            return at == size ? out : unknown(size);
        }
        if (v instanceof ScaleVertex s && in[0].length == size) {
            return Arrays.stream(in[0]).map(x -> x * s.getScaleFactor()).toArray();
        }
        if (v instanceof ShiftVertex s && in[0].length == size) {
            return Arrays.stream(in[0]).map(x -> x + s.getShiftFactor()).toArray();
        }
        if (v instanceof PreprocessorVertex p) {
            return ConstantRules.preProcess(p.getPreProcessor(), in[0], size);
        }
        return unknown(size);
    }

    static double[] unknown(int size) {
        double[] out = new double[size];
        Arrays.fill(out, Double.NaN);
        return out;
    }

    /**
     * @param node a layer or vertex name
     * @return the constant value of each output position of {@code node} (NaN = not constant), aligned
     *     with {@link ChannelDependencies#outputs}; shared, not copied: do not modify. Null if the network
     *     has no node of that name
     */
    public double[] outputs(String node) {
        return outputs.get(node);
    }

    /**
     * @param layer a layer name (vertices have no entry)
     * @return the constant value of each input position of {@code layer}, after its preprocessor (NaN = not
     *     constant), aligned with {@link ChannelDependencies#inputs}; shared, not copied: do not modify. Null
     *     if the network has no layer of that name
     */
    public double[] inputs(String layer) {
        return inputs.get(layer);
    }
}
