package org.rpg4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.rpg4j.examples.cli.Options;
import org.rpg4j.examples.train.PruningHooks;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.PruningConfigException;
import picocli.CommandLine;

/**
 * With regrowth (rigl, rpg), each topology update skips its iteration's optimizer step. The examples'
 * defaults never skip more than 10 % of the steps, whatever the subset and epochs, and {@code --delta-t 1}
 * over most of a run is refused naming the option, its value and what is allowed.
 */
class SkippedStepDefaultsTest {
    @Test
    void theDefaultJobSkipsUnderTenPercentOfItsSteps() {
        Options o = parse(TrainAndPrune.DEFAULT_JOB.toArray(new String[0]));
        // 6,000 images in full batches of 128: 46 per epoch, 4 epochs = 184 iterations
        long total = (long) o.epochs * (o.subset / o.batchSize);
        assertEquals(184, total);
        PruningConfig c = config(o, total).orElseThrow();
        // tEnd = floor(0.901 * 184) = 165: (165 - 1) / 10 = 16 updates, 16 / 184 = 8.7 %
        assertEquals(16, c.skippedSteps());
        assertTrue(c.skippedStepFraction() <= PruningConfig.WARN_SKIPPED_STEP_FRACTION, c.toString());
    }

    @Test
    void theDefaultDeltaTIsRefusedForShortRunsButNeverSkipsMuch() {
        for (String method : List.of("rigl", "rpg")) {
            for (int subset : new int[] {128, 500, 2000, 6000, 20000, 60000}) {
                for (int epochs : new int[] {1, 2, 4, 10, 100}) {
                    Options o = parse("--method", method, "--subset", Integer.toString(subset), "--epochs",
                            Integer.toString(epochs));
                    long total = (long) epochs * Math.max(1, subset / o.batchSize);
                    String run = method + ", " + subset + " images, " + epochs + " epochs";
                    try {
                        // deltaT 100: (tEnd - 1) / 100 < total / 100 steps skipped
                        assertTrue(config(o, total).orElseThrow().skippedStepFraction() < 0.01, run);
                    } catch (PruningConfigException e) {
                        // too short for deltaT 100: refused for its length, never for skipping steps
                        assertTrue(e.settings().contains("deltaT"), e.getMessage());
                        assertFalse(e.getMessage().contains("skips the optimizer step"), run + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    @Test
    void deltaTOneIsRefusedNamingTheOption() {
        // 64 images in batches of 8: 8 iterations, tEnd = floor(0.901 * 8) = 7, 6 updates = 75 % of the steps
        CliRejection.assertRejected(List.of("--dataset", "synthetic", "--subset", "64", "--test-subset", "32",
                "--batch-size", "8", "--epochs", "1", "--delta-t", "1"), "--delta-t (1) skips the optimizer step at "
                        + "6 of the 8 iterations of --epochs 1 x 8 iterations per epoch (75.0 %): with regrowth "
                        + "(regrowth GRADIENT, --alpha 0.3) each topology update takes the place of its iteration's "
                        + "step, as in the reference, so the network would hardly train while it is pruned; allowed: "
                        + "at most 50 % of the iterations skipped. Raise --delta-t (from 10 on, under 10 % are "
                        + "skipped) or lower --update-end; regrowth NONE or --alpha 0 skips no step");
    }

    private static Options parse(String... args) {
        Options o = new Options();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    private static Optional<PruningConfig> config(Options o, long total) {
        return PruningHooks.config(o.method, o.sparsity, o.pruning, o.seed, total);
    }
}
