package org.rpg4j.examples.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rpg4j.examples.models.ModelKind;

/**
 * The training recipe of one model in the study, identical for every method, sparsity and seed:
 * the budget (training images, epochs) and the optimiser's schedule. Pruning methods reach their
 * target at {@code rampEnd} of training and keep updating the topology until {@code updateEnd}, as
 * the reference does; the accuracy reported is the one after the last epoch.
 *
 * @param model the network
 * @param trainImages training images used (the first ones of the training set), 0 = all
 * @param testImages test images evaluated after each epoch, 0 = all
 * @param epochs passes over the training images
 * @param batchSize images per iteration
 * @param lr peak learning rate of the cosine schedule
 * @param warmupEpochs epochs of linear warm-up
 * @param deltaT iterations between topology updates
 */
public record StudyRecipe(ModelKind model, int trainImages, int testImages, int epochs, int batchSize, double lr,
                          double warmupEpochs, int deltaT) {

    /**
     * @param newDeltaT iterations between topology updates
     * @return this recipe with another {@code deltaT}
     */
    public StudyRecipe withDeltaT(int newDeltaT) {
        return new StudyRecipe(model, trainImages, testImages, epochs, batchSize, lr, warmupEpochs, newDeltaT);
    }

    /** @return the example options of this recipe (no method, sparsity, seed or output) */
    public List<String> arguments() {
        List<String> args = new ArrayList<>(List.of("--model", model.cliName(), "--epochs", Integer.toString(epochs),
                "--batch-size", Integer.toString(batchSize), "--lr", number(lr), "--warmup-epochs",
                number(warmupEpochs), "--delta-t", Integer.toString(deltaT)));
        if (trainImages > 0) {
            args.addAll(List.of("--subset", Integer.toString(trainImages)));
        }
        if (testImages > 0) {
            args.addAll(List.of("--test-subset", Integer.toString(testImages)));
        }
        return args;
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }
}
