package org.rpg4j.examples.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rpg4j.examples.CliRejection.rejection;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rpg4j.examples.CliRejection;

/**
 * Bad command lines of the structured methods, each with the exact first line the user reads. Every
 * case is a valid tiny run on synthetic data plus the bad options, so the error comes from them alone
 * (all are rejected before any data is loaded).
 */
class StructuredCliErrorsTest {
    @TempDir
    static Path dir;

    static Stream<Arguments> badInputs() {
        return Stream.of(
                rejection(
                        "--method l1-filter needs --channel-sparsity R, the fraction of prunable channels removed, in [0, 1)",
                        "--method", "l1-filter"),
                rejection("--channel-sparsity must be in [0, 1), got 1.0", "--method", "ssl", "--channel-sparsity",
                        "1"),
                rejection("--channel-sparsity must be in [0, 1), got -0.5", "--method", "l2-filter",
                        "--channel-sparsity",
                        "-0.5"),
                rejection(
                        "--channel-sparsity applies to the structured methods (--method l1-filter, l2-filter, slimming, ssl, "
                                + "hrank, dropnet or channel-pruning) only, not to --method rpg; its target is --sparsity",
                        "--method", "rpg",
                        "--channel-sparsity", "0.5"),
                rejection(
                        "--from-scratch applies to the structured methods (--method l1-filter, l2-filter, slimming, ssl, "
                                + "hrank, dropnet or channel-pruning) only, not to --method dense", "--method", "dense",
                        "--from-scratch", "scratch-e"),
                rejection(
                        "--sparsity applies to the unstructured methods only, not to --method slimming, which removes whole "
                                + "channels: give --channel-sparsity R (the fraction of prunable channels removed) instead",
                        "--method", "slimming", "--sparsity", "0.5", "--channel-sparsity", "0.5"),
                rejection("--export-sparse applies to the unstructured methods only, not to --method l1-filter: drop "
                        + "--export-sparse", "--method", "l1-filter", "--channel-sparsity", "0.5", "--export-sparse"),
                rejection(
                        "--penalty applies to --method slimming and ssl only, not to --method l1-filter, which applies no "
                                + "penalty during training", "--method", "l1-filter", "--channel-sparsity", "0.5",
                        "--penalty",
                        "1e-4"),
                rejection("--penalty must be finite and >= 0, got -1.0", "--method", "ssl", "--channel-sparsity", "0.5",
                        "--penalty", "-1"),
                rejection("--fine-tune-epochs must be >= 0 (0 = none), got -1", "--method", "ssl", "--channel-sparsity",
                        "0.5",
                        "--fine-tune-epochs", "-1"),
                rejection(
                        "--channel-updates applies to a gradual --channel-schedule (cubic, linear or exponential), not to "
                                + "one-shot", "--method", "ssl", "--channel-sparsity", "0.5", "--channel-updates", "5"),
                rejection("--channel-updates must be >= 1, got 0", "--method", "ssl", "--channel-sparsity", "0.5",
                        "--channel-schedule", "cubic", "--channel-updates", "0"),
                rejection("Invalid value for option '--channel-scope': expected per-layer or global but was 'layer'",
                        "--method", "ssl", "--channel-scope", "layer"),
                rejection(
                        "Invalid value for option '--channel-schedule': expected one-shot, cubic, linear or exponential but "
                                + "was 'gradual'", "--method", "ssl", "--channel-schedule", "gradual"),
                rejection(
                        "Invalid value for option '--from-scratch': expected none, scratch-e, scratch-b or both but was 'yes'",
                        "--method", "ssl", "--from-scratch", "yes"));
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badInputGetsItsExactMessage(String message, List<String> bad) {
        CliRejection.assertTinyRunRejected(dir.resolve("run"), message, bad);
    }

    @Test
    void scratchBudgets() {
        // Scratch-B: epochs * MACs ratio, at least the epochs, at most twice: 4 * 100/40 = 10 -> capped at 8
        assertEquals(8, FromScratch.SCRATCH_B.epochs(4, 100, 40));
        assertEquals(5, FromScratch.SCRATCH_B.epochs(4, 100, 80)); // round(4 * 1.25) = 5
        assertEquals(4, FromScratch.SCRATCH_B.epochs(4, 100, 100));
        assertEquals(4, FromScratch.SCRATCH_E.epochs(4, 100, 40));
        assertEquals(0, FromScratch.NONE.epochs(4, 100, 40));
        assertEquals(List.of(FromScratch.SCRATCH_E, FromScratch.SCRATCH_B), FromScratch.BOTH.runs());
        assertEquals(List.of(), FromScratch.NONE.runs());
        assertThrows(IllegalStateException.class, () -> FromScratch.BOTH.epochs(4, 100, 40));
    }
}
