package org.rpg4j.dl4j.structured.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.dl4j.structured.RankingScope;
import org.rpg4j.dl4j.structured.StructuredConfig;
import org.rpg4j.structured.ChannelGroup;
import org.rpg4j.structured.KeepSelection;

class HRankTest {
    @Test
    void removesTheChannelsWithTheLowestAverageRankOfTheirPostActivationMaps() {
        MultiLayerNetwork net = DataNets.convBnConv(7);
        DataSet data = DataNets.data(64, 4);
        DataNets.train(net, data, 32, 6);
        // kill two of layer0's channels: gamma = beta = 0 makes their post-ReLU maps all zero (rank 0)
        net.getLayer(1).getParam("gamma").putScalar(2, 0);
        net.getLayer(1).getParam("beta").putScalar(2, 0);
        net.getLayer(1).getParam("gamma").putScalar(5, 0);
        net.getLayer(1).getParam("beta").putScalar(5, 0);
        DataDrivenResult r = HRank.prune(net, StructuredConfig.builder(0.25).build(), DataNets.iterator(data, 32), 2);

        // layer0's maps are observed after BN and ReLU (layer2), layer3's after its ReLU (layer4)
        double[] ranks = r.statistics().averageRank().get("layer2");
        assertEquals(0.0, ranks[2], 0);
        assertEquals(0.0, ranks[5], 0);
        assertTrue(r.statistics().averageRank().containsKey("layer4"));
        ChannelGroup g0 = group(net, "layer0");
        boolean[] keep = r.result().selection().keep(g0);
        assertEquals(6, KeepSelection.count(keep), "floor(0.25 * 8) = 2 removed");
        assertTrue(!keep[2] && !keep[5], "the rank-0 channels go first");
        ChannelGroup g3 = group(net, "layer3");
        boolean[] keep3 = r.result().selection().keep(g3);
        double[] ranks3 = r.statistics().averageRank().get("layer4");
        for (int c = 0; c < 8; c++) {
            for (int d = 0; d < 8; d++) {
                if (!keep3[c] && keep3[d]) {
                    assertTrue(ranks3[c] <= ranks3[d], "removed channel " + c + " ranks above kept " + d);
                }
            }
        }
        assertTrue(r.unscored().isEmpty(), r.unscored().toString());
    }

    @Test
    void globalRankingRemovesTheConfiguredShareOfAllChannels() {
        MultiLayerNetwork net = DataNets.convBnConv(8);
        DataSet data = DataNets.data(32, 5);
        DataDrivenResult r = HRank.prune(net, StructuredConfig.builder(0.5).scope(RankingScope.GLOBAL).build(),
                DataNets.iterator(data, 32), 1);
        int kept = KeepSelection.count(r.result().selection().keep(group(net, "layer0")))
                + KeepSelection.count(r.result().selection().keep(group(net, "layer3")));
        assertEquals(8, kept, "floor(0.5 * 16) = 8 of the 16 channels removed");
    }

    static ChannelGroup group(MultiLayerNetwork net, String producer) {
        return ChannelDependencies.analyse(net).groups().stream().filter(g -> g.producers().contains(producer))
                .findFirst().orElseThrow();
    }
}
