package org.rpg4j.dl4j.shrink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.structured.ChannelGroup;
import org.rpg4j.structured.KeepSelection;

/** Builders of dead channels and the output comparison shared by the shrinking tests. */
final class ShrinkFixtures {
    /** Outputs of the original and shrunk network agree to this (float32). */
    static final double OUTPUT_TOLERANCE = 1e-5;

    private ShrinkFixtures() {}

    static Layer layer(Model net, String name) {
        return net instanceof MultiLayerNetwork m ? m.getLayer(name) : ((ComputationGraph) net).getLayer(name);
    }

    /**
     * Zeroes the weights that produce output channels {@code channels} of {@code layer} (axis
     * {@code outAxis} of {@code param}); the bias is zeroed too if {@code zeroBias}, otherwise set to
     * 0.5 + channel / 10 so that the channel is a nonzero constant.
     */
    static void kill(Model net, String layer, String param, int outAxis, boolean zeroBias, int... channels) {
        Layer l = layer(net, layer);
        INDArray w = l.getParam(param);
        INDArray b = l.paramTable().get("b");
        for (int c : channels) {
            // element by element: ND4J's point indexes misbehave on unit dimensions; the tensors are tiny
            for (long i = 0; i < w.length(); i++) {
                long[] at = org.nd4j.linalg.api.shape.Shape.ind2subC(w.shape(), i);
                if (at[outAxis] == c) {
                    w.putScalar(at, 0.0);
                }
            }
            if (b != null) {
                b.putScalar(c, zeroBias ? 0.0 : 0.5 + c / 10.0);
            }
        }
    }

    /** Random, non-trivial batch-norm parameters and statistics (seeded), so that a constant input stays a nonzero constant. */
    static void randomiseBatchNorm(Model net, String layer, long seed) {
        Map<String, INDArray> p = layer(net, layer).paramTable();
        Nd4j.getRandom().setSeed(seed);
        for (Map.Entry<String, INDArray> e : p.entrySet()) {
            INDArray r = Nd4j.rand(e.getValue().dataType(), e.getValue().shape());
            switch (e.getKey()) {
                case "gamma" -> e.getValue().assign(r.addi(0.5));
                case "beta", "mean" -> e.getValue().assign(r.subi(0.5));
                case "var" -> e.getValue().assign(r.addi(0.5));
                case "log10stdev" -> e.getValue().assign(r.muli(0.4).subi(0.2));
                default -> throw new IllegalArgumentException(e.getKey());
            }
        }
    }

    static INDArray input(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, shape).subi(0.5).muli(2);
    }

    static INDArray output(Model net, INDArray input) {
        return net instanceof MultiLayerNetwork m ? m.output(input, false) : ((ComputationGraph) net).outputSingle(
                false, input);
    }

    /**
     * Removes the dead channels of {@code net}, checks that exactly {@code expectedRemoved} channels went,
     * that the outputs are unchanged and that no fold was inexact.
     *
     * @return the shrunk network
     */
    static Model assertDeadRemovalExact(Model net, INDArray input, int expectedRemoved) {
        ChannelDependencies deps = ChannelDependencies.analyse(net);
        KeepSelection dead = DeadChannels.select(deps);
        int removed = 0;
        for (ChannelGroup g : deps.groups()) {
            removed += g.size() - KeepSelection.count(dead.keep(g));
        }
        assertEquals(expectedRemoved, removed, "dead channels found; groups: " + deps.groups());
        ShrinkResult result = NetworkShrinker.shrink(deps, dead);
        assertTrue(result.inexactFolds().isEmpty(), result.inexactFolds().toString());
        assertTrue(result.network().numParams() < net.numParams() || expectedRemoved == 0);
        INDArray before = output(net, input);
        INDArray after = output(result.network(), input);
        assertArrayEquals(before.shape(), after.shape());
        double diff = before.sub(after).amaxNumber().doubleValue();
        assertTrue(diff <= OUTPUT_TOLERANCE, "max |output difference| " + diff);
        return result.network();
    }
}
