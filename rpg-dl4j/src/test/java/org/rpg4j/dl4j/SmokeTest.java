package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;

class SmokeTest {
    @Test
    void prunesTinyNetwork() {
        Model net = Nets.small(Nets.Kind.MLN, new Adam(1e-2), Nets.Decay.L2, true);
        PruningConfig config = PruningConfig.builder(0.8).totalIterations(20).deltaT(2)
                .rankLoss(RankLoss.lambda(1.0).partialK(0.2)).build();
        Pruning pruning = Dl4jPruning.attach(net, config);
        List<DataSet> data = Nets.data(20, 4, 7);
        for (DataSet d : data) {
            Nets.fit(net, d);
        }
        System.err.println(pruning.report());
        assertEquals(0.8, pruning.report().globalSparsity(), 0.01);
    }
}
