package org.rpg4j.dl4j;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;
import org.rpg4j.regrow.RegrowthKind;

/**
 * The optimizer steps the DL4J seam skips at topology updates are exactly the ones
 * {@link PruningConfig#skippedSteps()} counts, and attaching a run that skips more than 10 % of
 * them logs a warning with the numbers (slf4j-simple writes to {@code System.err}, read at each line).
 */
class SkippedStepsTest {
    /** 20 iterations, deltaT 3, default fractions: tEnd = floor(0.901 * 20) = 18, updates at steps 3..15. */
    private static PruningConfig everyThird() {
        return PruningConfig.builder(0.5, 20).deltaT(3).rankLoss(RankLoss.none()).build();
    }

    @Test
    void theSeamSkipsExactlyTheCountedSteps() {
        PruningConfig config = everyThird();
        // (18 - 1) / 3 = 5 updates, at 0-based iterations 2, 5, 8, 11, 14
        assertEquals(5, config.skippedSteps());
        MultiLayerNetwork net = EndToEndTest.cnn();
        Dl4jPruning.attach(net, config);
        List<DataSet> data = EndToEndTest.data(20, 5);
        List<Integer> unchanged = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // the output layer's bias is trained but never pruned: a skipped step leaves it bit for bit
            float[] before = net.getLayer(4).getParam("b").dup().toFloatVector();
            net.fit(data.get(i));
            if (Arrays.equals(before, net.getLayer(4).getParam("b").toFloatVector())) {
                unchanged.add(i);
            }
        }
        assertEquals(List.of(2, 5, 8, 11, 14), unchanged);
    }

    @Test
    void attachWarnsWithTheNumbersAboveTenPercent() {
        // 5 of 20 steps = 25 %
        String log = attachLog(everyThird());
        assertTrue(log.contains("WARN") && log.contains("skip 5 of the run's 20 optimizer steps (25.0 %)")
                && log.contains("every deltaT = 3 iterations until 90.1 % of training")
                && log.contains("deltaT 10 or more skips under 10 %"), log);
    }

    @Test
    void noWarningAtTenPercentOrWithoutRegrowth() {
        // T = 100, deltaT 10: tEnd = 90, (90 - 1) / 10 = 8 updates = 8 %
        PruningConfig quiet = PruningConfig.builder(0.5, 100).deltaT(10).rankLoss(RankLoss.none()).build();
        assertEquals(8, quiet.skippedSteps());
        assertFalse(attachLog(quiet).contains("optimizer steps"));
        // gradual magnitude pruning takes every step, even with an update at every iteration
        PruningConfig gmp = PruningConfig.builder(0.5, 20).deltaT(1).regrowth(RegrowthKind.NONE)
                .rankLoss(RankLoss.none()).build();
        assertEquals(0, gmp.skippedSteps());
        assertFalse(attachLog(gmp).contains("optimizer steps"));
    }

    private static String attachLog(PruningConfig config) {
        MultiLayerNetwork net = EndToEndTest.cnn();
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, UTF_8));
        try {
            Dl4jPruning.attach(net, config);
        } finally {
            System.setErr(original);
        }
        return captured.toString(UTF_8);
    }
}
