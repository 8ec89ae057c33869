package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;
import org.rpg4j.regrow.RegrowthKind;

/**
 * The reference skips the optimizer step of a topology-update iteration only because its gradient
 * served as the regrowth score: with nothing to regrow (gradual magnitude pruning, or a drop
 * fraction of 0) it takes the step. Every iteration, including every update iteration, must move
 * the weights the gradient reaches (the output bias always has a non-zero gradient here).
 */
class StepTakenTest {
    private static final int ITERATIONS = 12;

    /** The two ways to regrow nothing. */
    enum NoRegrowth { GMP, ALPHA_ZERO }

    @ParameterizedTest
    @EnumSource(NoRegrowth.class)
    void everyIterationTakesTheStep(NoRegrowth variant) {
        for (Nets.Kind kind : Nets.Kind.values()) {
            Model net = Nets.small(kind, new Sgd(0.05), Nets.Decay.NONE, false);
            PruningConfig.Builder b = PruningConfig.builder(0.7, ITERATIONS).deltaT(3)
                    .rankLoss(RankLoss.none());
            PruningConfig config = variant == NoRegrowth.GMP ? b.regrowth(RegrowthKind.NONE).build()
                    : b.alpha(0.0).build();
            Pruning pruning = Dl4jPruning.attach(net, config);
            List<DataSet> data = Nets.data(ITERATIONS, 4, 5);
            int updates = 0;
            for (int i = 0; i < ITERATIONS; i++) {
                INDArray biasBefore = Inspect.layer(net, "out").getParam("b").dup();
                INDArray denseBefore = Inspect.param(net, "dense/W").dup();
                boolean update = pruning.runtime().pruner().isUpdateIteration(i);
                Nets.fit(net, data.get(i));
                assertNotEquals(biasBefore, Inspect.layer(net, "out").getParam("b"),
                        variant + " " + kind + ": the output bias did not move at iteration " + i + (update
                                ? " (an update iteration)" : ""));
                INDArray kept = pruning.mask("dense/W").castTo(denseBefore.dataType());
                INDArray survivorsBefore = denseBefore.mul(kept);
                assertNotEquals(survivorsBefore, Inspect.param(net, "dense/W").mul(kept),
                        variant + " " + kind + ": the surviving dense weights did not move at iteration " + i);
                updates += update ? 1 : 0;
            }
            assertTrue(updates >= 3, "the run must hold several update iterations");
            assertTrue(pruning.sparsity() > 0.6, "the run must prune");
        }
    }
}
