package org.rpg4j.examples.cli;

import java.nio.file.Files;

/**
 * Checks of the training options that need no data, before anything is loaded or built. Each
 * message names the option as typed, its value and what is allowed. The pruning options are
 * checked by rpg-core's {@code PruningConfig} (its errors renamed with
 * {@link PruningOptions#optionName}).
 */
public final class OptionChecks {
    private OptionChecks() {}

    /**
     * @param o the parsed options
     * @throws IllegalArgumentException naming the first invalid option
     */
    public static void check(Options o) {
        atLeast("--width", o.width, 1);
        if (o.width != 1 && !o.model.cliName().startsWith("resnet")) {
            throw new IllegalArgumentException("--width " + o.width + " applies to the ResNets only: "
                    + o.model.cliName() + " has no width multiplier; drop --width or choose a --model resnet20, "
                    + "resnet32 or resnet56");
        }
        atLeast("--epochs", o.epochs, 1);
        atLeast("--batch-size", o.batchSize, 1);
        atLeast("--eval-batch-size", o.evalBatchSize, 1);
        atLeast("--progress-every", o.progressEvery, 1);
        atLeast("--max-iterations", o.maxIterations, 0, " (0 = no limit)");
        atLeast("--subset", o.subset, 0, " (0 = all)");
        atLeast("--test-subset", o.testSubset, 0, " (0 = all)");
        if (!(o.lr > 0) || Double.isInfinite(o.lr)) {
            throw new IllegalArgumentException("--lr must be finite and > 0, got " + o.lr);
        }
        nonNegativeFinite("--warmup-epochs", o.warmupEpochs);
        nonNegativeFinite("--weight-decay", o.weightDecay);
        below("--momentum", o.momentum);
        below("--label-smoothing", o.labelSmoothing);
        if (o.initFrom != null && !Files.isRegularFile(o.initFrom)) {
            throw new IllegalArgumentException("--init-from " + o.initFrom + " is not a file: give the model.zip of an "
                    + "earlier run of the same --model and --width");
        }
    }

    /**
     * @param o the parsed options
     * @param trainingImages images in the training set after {@code --subset}
     * @throws IllegalArgumentException if {@code --batch-size} exceeds the training images
     */
    public static void checkBatch(Options o, int trainingImages) {
        if (o.batchSize > trainingImages) {
            throw new IllegalArgumentException("--batch-size (" + o.batchSize + ") is larger than the " + trainingImages
                    + " training images" + (o.subset > 0 ? " (--subset " + o.subset + ")" : "") + ": lower --batch-size"
                    + " to at most " + trainingImages);
        }
    }

    private static void atLeast(String option, long value, long min) {
        atLeast(option, value, min, "");
    }

    private static void atLeast(String option, long value, long min, String note) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be >= " + min + note + ", got " + value);
        }
    }

    private static void nonNegativeFinite(String option, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(option + " must be finite and >= 0, got " + value);
        }
    }

    private static void below(String option, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(option + " must be in [0, 1), got " + value);
        }
    }
}
