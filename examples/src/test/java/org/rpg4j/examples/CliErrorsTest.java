package org.rpg4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad command lines, each with the exact first line the user reads: it names the option as typed
 * and what would fix it. Every case replaces options of a valid tiny run on synthetic data (4
 * iterations), so the error comes from the bad arguments alone.
 */
class CliErrorsTest {
    private static final List<String> VALID = List.of("--dataset", "synthetic", "--subset", "64", "--test-subset",
            "32", "--batch-size", "16", "--epochs", "1", "--delta-t", "1");
    private static final String IDX = "train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], "
            + "t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]";

    @TempDir
    static Path dir;

    static Stream<Arguments> badInputs() {
        return Stream.of(
                // option values picocli cannot convert
                bad("Invalid value for option '--model': model must be one of resnet20, resnet32, resnet56, vgg19, "
                        + "small-cnn; got resnet18", "--model", "resnet18"),
                bad("Invalid value for option '--dataset': dataset must be one of fashion-mnist, mnist, cifar10, "
                        + "synthetic; got imagenet", "--dataset", "imagenet"),
                bad("Invalid value for option '--method': method must be one of dense, gmp, rigl, rpg, rpg-reg, l1-filter, "
                        + "l2-filter, slimming, ssl, hrank, dropnet, channel-pruning; got prune",
                        "--method", "prune"),
                bad("Invalid value for option '--layers': layers must be standard, fast or auto; got gpu", "--layers",
                        "gpu"),
                bad("Invalid value for option '--augment': expected auto, none or crop-flip but was 'rotate'",
                        "--augment",
                        "rotate"),
                bad("Invalid value for option '--rank-layers': expected conv or all but was 'dense'", "--rank-layers",
                        "dense"),
                bad("Invalid value for option '--budget': expected global, uniform or erk but was 'erk2'", "--budget",
                        "erk2"),
                bad("Invalid value for option '--update-placement': expected reaching-target or reference but was "
                        + "'sometimes'", "--update-placement", "sometimes"),
                bad("Invalid value for option '--delta-t': 'abc' is not an int", "--delta-t", "abc"),
                bad("Invalid value for option '--sparsity': 'x' is not a double", "--sparsity", "x"),
                bad("Invalid value for option '--shortcut': expected one of [A, B] (case-sensitive) but was 'C'",
                        "--shortcut", "C"),
                bad("Unknown options: '--sparsty', '0.9'", "--sparsty", "0.9"),
                bad("Missing required parameter for option '--epochs' (N)", "--epochs"),
                bad("Invalid value for option '--max-layer-sparsity' (REGEX=S): expected REGEX=S (a layer-name regular expression, "
                        + "'=', a maximum sparsity in [0, 1]) but was 'conv1'", "--max-layer-sparsity", "conv1"),
                bad("Invalid value for option '--max-layer-sparsity' (REGEX=S): expected a number after '=' but was 'conv1=most'",
                        "--max-layer-sparsity", "conv1=most"),
                bad("Invalid value for option '--max-layer-sparsity' (REGEX=S): the maximum sparsity must be in [0.0, 1.0], got 1.5 "
                        + "in 'conv1=1.5'", "--max-layer-sparsity", "conv1=1.5"),
                bad("Invalid value for option '--max-layer-sparsity' (REGEX=S): pattern must be a valid regular expression, got '(': "
                        + "Unclosed group", "--max-layer-sparsity", "(=0.5"),
                // pruning values rpg-core rejects, named as typed
                bad("--sparsity must be in [0.0, 1.0), got 1.5", "--sparsity", "1.5"),
                bad("--sparsity must be in [0.0, 1.0), got -0.1", "--sparsity", "-0.1"),
                bad("--lambda must be finite and >= 0, got -1.0", "--lambda", "-1"),
                bad("--partial-k must be in [0.0, 1.0], got 2.0", "--partial-k", "2"),
                bad("--alpha must be in [0.0, 1.0], got 1.5", "--alpha", "1.5"),
                bad("--delta-t must be >= 1, got 0", "--delta-t", "0"),
                bad("--delta-t (100) is larger than --max-iterations (3): lower --delta-t to at most 3 or train longer",
                        "--delta-t", "100", "--max-iterations", "3"),
                bad("--delta-t (10) is larger than --epochs 1 x 4 iterations per epoch (4): lower --delta-t to at most 4 "
                        + "or train longer", "--delta-t", "10"),
                bad("--ramp-end must be in (0, 1], got 0.0", "--ramp-end", "0"),
                bad("--update-end must be in (0, 1], got 1.5", "--update-end", "1.5"),
                bad("--update-end (0.5) is below --ramp-end (0.9): updates must run until the ramp ends; raise --update-end "
                        + "or lower --ramp-end", "--ramp-end", "0.9", "--update-end", "0.5"),
                bad("--ramp-end (0.2) of --epochs 1 x 4 iterations per epoch (4) is 0 iterations, shorter than --delta-t "
                        + "(1): the ramp needs at least one update; raise --ramp-end or lower --delta-t", "--ramp-end",
                        "0.2"),
                bad("--update-end (0.6) of --epochs 1 x 4 iterations per epoch (4) leaves room for 1 topology update(s) "
                        + "every --delta-t (1) iterations before iteration 2; --update-placement REACHING_TARGET needs at "
                        + "least 2 (update 0 prunes nothing): raise --update-end or --epochs 1 x 4 iterations per epoch",
                        "--ramp-end", "0.5", "--update-end", "0.6"),
                // training options, checked before anything is loaded
                bad("--epochs must be >= 1, got 0", "--epochs", "0"),
                bad("--batch-size must be >= 1, got 0", "--batch-size", "0"),
                bad("--batch-size (100) is larger than the 64 training images (--subset 64): lower --batch-size to at most "
                        + "64", "--batch-size", "100"),
                bad("--subset must be >= 0 (0 = all), got -1", "--subset", "-1"),
                bad("--max-iterations must be >= 0 (0 = no limit), got -5", "--max-iterations", "-5"),
                bad("--warmup-epochs must be finite and >= 0, got -1.0", "--warmup-epochs", "-1"),
                bad("--lr must be finite and > 0, got 0.0", "--lr", "0"),
                bad("--momentum must be in [0, 1), got 1.5", "--momentum", "1.5"),
                bad("--weight-decay must be finite and >= 0, got -1.0E-4", "--weight-decay", "-1e-4"),
                bad("--label-smoothing must be in [0, 1), got 1.0", "--label-smoothing", "1"),
                bad("--progress-every must be >= 1, got 0", "--progress-every", "0"),
                bad("--eval-batch-size must be >= 1, got 0", "--eval-batch-size", "0"),
                bad("--width must be >= 1, got 0", "--width", "0"),
                bad("--width 2 applies to the ResNets only: small-cnn has no width multiplier; drop --width or choose a "
                        + "--model resnet20, resnet32 or resnet56", "--width", "2"),
                bad("--init-from /nonexistent/model.zip is not a file: give the model.zip of an earlier run of the same "
                        + "--model and --width", "--init-from", "/nonexistent/model.zip"),
                // data options: what the user named must be found
                bad("--data-dir /nonexistent does not exist, so it does not hold the fashion-mnist files: expected "
                        + IDX
                        + "; point --data-dir at the directory that holds them, or use --dataset synthetic",
                        "--dataset", "fashion-mnist", "--data-dir", "/nonexistent"),
                bad("--data-dir /nonexistent does not exist, so it does not hold the cifar10 files: expected "
                        + "data_batch_1.bin .. data_batch_5.bin and test_batch.bin (the binary version), in it or in its "
                        + "cifar-10-batches-bin subdirectory; point --data-dir at the directory that holds them, or use "
                        + "--dataset synthetic", "--dataset", "cifar10", "--data-dir", "/nonexistent"),
                bad("--dataset cifar10 needs --data-dir DIR: a directory holding data_batch_1.bin .. data_batch_5.bin and "
                        + "test_batch.bin (the binary version), in it or in its cifar-10-batches-bin subdirectory",
                        "--dataset", "cifar10"));
    }

    private static Arguments bad(String message, String... args) {
        return Arguments.of(message, List.of(args));
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badInputGetsItsExactMessage(String message, List<String> bad) {
        // the valid run, without the options this case sets
        List<String> args = new ArrayList<>();
        for (int i = 0; i < VALID.size(); i += 2) {
            if (!bad.contains(VALID.get(i))) {
                args.addAll(VALID.subList(i, i + 2));
            }
        }
        args.addAll(List.of("--output", dir.resolve("run").toString()));
        args.addAll(bad);
        CliRejection.assertRejected(args, message);
    }

    @Test
    void atLeastThirtyCases() {
        assertEquals(true, badInputs().count() >= 30, "the issue asks for at least 30 bad inputs");
    }

    @Test
    void helpPrintsNoFormatWarnings() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream systemErr = System.err;
        try {
            // picocli's tracer writes its "Could not format" warnings to System.err
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, TrainAndPrune.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                    System.err, "--help"));
        } finally {
            System.setErr(systemErr);
        }
        String help = out.toString(StandardCharsets.UTF_8);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        assertFalse(help.contains("%%"), help);
        assertEquals(true, help.contains("RPG at 99 %, 300 epochs"), help);
        assertEquals(true, help.contains("--budget=global|uniform|erk"), help);
    }
}
