package org.rpg4j.dl4j.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.structured.ChannelGroup;
import org.rpg4j.structured.KeepSelection;

/** L1/L2 filter ranking, per group and global, through the DL4J entry point. */
class FilterCriteriaTest {
    private static final double FLOAT_TOL = 1e-5;

    /** conv3x3(2->8) - BN - conv3x3(8->6) - GAP - dense(6->3); input 2x6x6. */
    private static MultiLayerNetwork net() {
        return CriteriaNets.convBnConv(11);
    }

    @Test
    void perGroupRemovesExactCountsWithEitherNorm() {
        for (String criterion : new String[] {"l1-filter", "l2-filter"}) {
            StructuredResult r = StructuredPruning.prune(net(),
                    StructuredConfig.builder(0.5).criterion(criterion).inputShape(2, 6, 6).build());
            // conv0: floor(0.5 * 8) = 4 kept of 8; conv2: floor(0.5 * 6) = 3 removed, 3 kept
            assertEquals(4, r.report().layers().get(0).after().channels(), criterion);
            assertEquals(3, r.report().layers().get(2).after().channels(), criterion);
        }
    }

    @Test
    void globalRankingRemovesTheTotalCount() {
        MultiLayerNetwork net = net();
        ChannelDependencies deps = ChannelDependencies.analyse(net);
        StructuredResult r = StructuredPruning.prune(net, StructuredConfig.builder(0.5).criterion("l2-filter")
                .scope(RankingScope.GLOBAL).build());
        int total = 0;
        int kept = 0;
        for (ChannelGroup g : deps.groups()) {
            if (!g.locked()) {
                total += g.size();
                kept += KeepSelection.count(r.selection().keep(g));
            }
        }
        // conv0 (8) and conv2 (6) groups: floor(0.5 * 14) = 7 removed
        assertEquals(14, total);
        assertEquals(7, kept);
    }

    @Test
    void shrunkNetworkEqualsTheMaskedNetwork() {
        for (RankingScope scope : RankingScope.values()) {
            MultiLayerNetwork net = net();
            StructuredResult r = StructuredPruning.prune(net, StructuredConfig.builder(0.5).scope(scope).build());
            MultiLayerNetwork masked = net.clone();
            ChannelDependencies deps = ChannelDependencies.analyse(masked);
            ChannelMasking.zeroRemoved(deps, r.selection());
            INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2, 6, 6).subi(0.5);
            INDArray expected = masked.output(x);
            INDArray actual = ((MultiLayerNetwork) r.network()).output(x);
            assertTrue(net.output(x).distance1(expected) > 1e-4, "masking must change the output");
            assertTrue(expected.equalsWithEps(actual, FLOAT_TOL), scope + ": " + expected + " vs " + actual);
        }
    }

    @Test
    void configurationKeepsScopeThroughJsonAndRejectsBadValues() {
        StructuredConfig c = StructuredConfig.builder(0.3).criterion("l2-filter").scope(RankingScope.GLOBAL).build();
        assertEquals(c, StructuredConfig.fromJson(c.toJson()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StructuredConfig.fromJson(c.toJson().replace("GLOBAL", "EVERYWHERE")));
        assertTrue(e.getMessage().contains("EVERYWHERE"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StructuredConfig.builder(0.3).criterion("l3-filter"));
        assertTrue(e.getMessage().contains("l3-filter") && e.getMessage().contains("l2-filter"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StructuredConfig.builder(0.3)
                .scope(RankingScope.GLOBAL).layerSparsity("layer0", 0.2).build());
        assertTrue(e.getMessage().contains("GLOBAL"), e.getMessage());
    }

    @Test
    void gradualRampReachesTheTargetAndShrinksToTheMaskedNetwork() {
        MultiLayerNetwork net = net();
        GradualStructuredPruning g = GradualStructuredPruning.attach(net,
                StructuredConfig.builder(0.5).criterion("l2-filter").build(), org.rpg4j.schedule.ScheduleKind.LINEAR,
                0, 4, 1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 2, 6, 6).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 3);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        ChannelDependencies deps = ChannelDependencies.analyse(net);
        ChannelGroup conv0 = deps.groups().stream().filter(gr -> gr.producers().contains("layer0")).findFirst()
                .orElseThrow();
        net.fit(x, y);
        net.fit(x, y);
        net.fit(x, y);
        // update 2 of a linear ramp of 4 to density 0.5: density 1 - 0.5 * 2 / 4 = 0.75, sparsity 0.25: floor(2) of 8
        assertEquals(6, KeepSelection.count(g.selection().keep(conv0)));
        for (int i = 0; i < 3; i++) {
            net.fit(x, y);
        }
        assertEquals(4, KeepSelection.count(g.selection().keep(conv0)));
        StructuredResult r = g.finish();
        assertEquals(4, r.report().layers().get(0).after().channels());
        assertEquals(3, r.report().layers().get(2).after().channels());
        INDArray masked = net.output(x);
        assertTrue(masked.equalsWithEps(((MultiLayerNetwork) r.network()).output(x), FLOAT_TOL));
        assertThrows(IllegalStateException.class, g::finish);
    }
}
