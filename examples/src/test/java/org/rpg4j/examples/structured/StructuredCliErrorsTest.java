package org.rpg4j.examples.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
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
    private static final List<String> VALID = List.of("--dataset", "synthetic", "--subset", "64", "--test-subset",
            "32", "--batch-size", "16", "--epochs", "1");

    @TempDir
    static Path dir;

    static Stream<Arguments> badInputs() {
        return Stream.of(
                bad("--method l1-filter needs --channel-sparsity R, the fraction of prunable channels removed, in [0, 1)",
                        "--method", "l1-filter"),
                bad("--channel-sparsity must be in [0, 1), got 1.0", "--method", "ssl", "--channel-sparsity", "1"),
                bad("--channel-sparsity must be in [0, 1), got -0.5", "--method", "l2-filter", "--channel-sparsity",
                        "-0.5"),
                bad("--channel-sparsity applies to the structured methods (--method l1-filter, l2-filter, slimming, ssl, "
                        + "hrank, dropnet or channel-pruning) only, not to --method rpg; its target is --sparsity",
                        "--method", "rpg",
                        "--channel-sparsity", "0.5"),
                bad("--from-scratch applies to the structured methods (--method l1-filter, l2-filter, slimming, ssl, "
                        + "hrank, dropnet or channel-pruning) only, not to --method dense", "--method", "dense",
                        "--from-scratch", "scratch-e"),
                bad("--sparsity applies to the unstructured methods only, not to --method slimming, which removes whole "
                        + "channels: give --channel-sparsity R (the fraction of prunable channels removed) instead",
                        "--method", "slimming", "--sparsity", "0.5", "--channel-sparsity", "0.5"),
                bad("--export-sparse applies to the unstructured methods only, not to --method l1-filter: drop "
                        + "--export-sparse", "--method", "l1-filter", "--channel-sparsity", "0.5", "--export-sparse"),
                bad("--penalty applies to --method slimming and ssl only, not to --method l1-filter, which applies no "
                        + "penalty during training", "--method", "l1-filter", "--channel-sparsity", "0.5", "--penalty",
                        "1e-4"),
                bad("--penalty must be finite and >= 0, got -1.0", "--method", "ssl", "--channel-sparsity", "0.5",
                        "--penalty", "-1"),
                bad("--fine-tune-epochs must be >= 0 (0 = none), got -1", "--method", "ssl", "--channel-sparsity",
                        "0.5",
                        "--fine-tune-epochs", "-1"),
                bad("--channel-updates applies to a gradual --channel-schedule (cubic, linear or exponential), not to "
                        + "one-shot", "--method", "ssl", "--channel-sparsity", "0.5", "--channel-updates", "5"),
                bad("--channel-updates must be >= 1, got 0", "--method", "ssl", "--channel-sparsity", "0.5",
                        "--channel-schedule", "cubic", "--channel-updates", "0"),
                bad("Invalid value for option '--channel-scope': expected per-layer or global but was 'layer'",
                        "--method", "ssl", "--channel-scope", "layer"),
                bad("Invalid value for option '--channel-schedule': expected one-shot, cubic, linear or exponential but "
                        + "was 'gradual'", "--method", "ssl", "--channel-schedule", "gradual"),
                bad("Invalid value for option '--from-scratch': expected none, scratch-e, scratch-b or both but was 'yes'",
                        "--method", "ssl", "--from-scratch", "yes"));
    }

    private static Arguments bad(String message, String... args) {
        return Arguments.of(message, List.of(args));
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badInputGetsItsExactMessage(String message, List<String> bad) {
        List<String> args = new ArrayList<>(VALID);
        args.addAll(List.of("--output", dir.resolve("run").toString()));
        args.addAll(bad);
        CliRejection.assertRejected(args, message);
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
