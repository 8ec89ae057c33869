package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;
import org.rpg4j.prune.RankLossMode;

/**
 * Pruned means zero: after every iteration, with every DL4J updater, with no decay, coupled L2 or
 * decoupled weight decay (Adam + WeightDecay is DL4J's AdamW: 1.0.0-M2.1 has no AdamW class), on
 * both network types, every masked weight is exactly 0.0 and its updater state exactly 0. (DL4J's
 * AdaBelief cannot be instantiated in 1.0.0-M2.1: {@code AdaBelief.instantiate} throws.)
 */
class MaskEnforcementTest {
    static final int ITERATIONS = 8;

    static Stream<Arguments> cases() {
        List<Supplier<IUpdater>> updaters = List.of(() -> new Sgd(0.05), () -> new Nesterovs(0.05, 0.9),
                () -> new Adam(0.01), () -> new AMSGrad(0.01), () -> new AdaMax(0.01), () -> new Nadam(0.01),
                () -> new RmsProp(0.01), () -> new AdaGrad(0.05), () -> new AdaDelta());
        List<Arguments> out = new ArrayList<>();
        for (Supplier<IUpdater> u : updaters) {
            for (Nets.Decay decay : Nets.Decay.values()) {
                for (Nets.Kind kind : Nets.Kind.values()) {
                    IUpdater updater = u.get();
                    out.add(Arguments.of(updater.getClass().getSimpleName(), updater, decay, kind));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {2} {3}")
    @MethodSource("cases")
    void prunedWeightsAndStateStayZero(String name, IUpdater updater, Nets.Decay decay, Nets.Kind kind) {
        Model net = Nets.small(kind, updater, decay, true);
        PruningConfig config = PruningConfig.builder(0.75, ITERATIONS).deltaT(2)
                .rankLoss(RankLoss.lambda(1.0).partialK(0.2).mode(RankLossMode.REGULARISER).rankEvery(3)).build();
        Pruning pruning = Dl4jPruning.attach(net, config);
        List<DataSet> data = Nets.data(ITERATIONS, 4, 11);
        long prunedSeen = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            Nets.fit(net, data.get(i));
            Inspect.assertPrunedAreZero(pruning, name + " " + decay + " " + kind + " after iteration " + i);
            prunedSeen = Math.max(prunedSeen, Inspect.prunedCount(pruning));
        }
        assertTrue(prunedSeen > 0, "the run must prune something for the check to mean anything");
        assertEquals(0.75, pruning.sparsity(), 0.01);
        assertTrue(pruning.report().globalSparsity() >= pruning.sparsity(), "every masked weight is zero");
    }
}
