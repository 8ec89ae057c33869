package org.rpg4j.examples.study;

import java.util.List;
import org.rpg4j.examples.models.ModelKind;
import org.rpg4j.examples.train.Method;

/**
 * One run of the study.
 *
 * @param id directory name of the run, e.g. {@code small-cnn-rpg-99-seed2} or {@code resnet20-dense-seed1}
 * @param model the network
 * @param method the training method
 * @param sparsity target sparsity (0 for dense training)
 * @param seed seed of everything random in the run
 * @param arguments the example command line of the run, without {@code --output} and {@code --init-from}
 * @param startsFrom id of the run whose {@code model.zip} this run starts from, or null for a random start
 */
public record StudyRun(String id, ModelKind model, Method method, double sparsity, long seed,
                       List<String> arguments, String startsFrom) {
    /** Defensive copy of the arguments. */
    public StudyRun {
        arguments = List.copyOf(arguments);
    }
}
