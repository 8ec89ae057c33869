package org.rpg4j.examples.study;

import java.util.List;
import org.rpg4j.examples.models.ModelKind;
import org.rpg4j.examples.train.Method;

/**
 * One run of the study.
 *
 * @param id directory name of the run, e.g. {@code small-cnn-rpg-99-seed2} or {@code resnet20-dense-seed1}
 * @param spec what the run trains
 * @param startsFrom id of the run whose {@code model.zip} this run starts from, or null for a random start
 */
public record StudyRun(String id, RunSpec spec, String startsFrom) {
    /** @return the network */
    public ModelKind model() {
        return spec.recipe().model();
    }

    /** @return the training method */
    public Method method() {
        return spec.method();
    }

    /** @return the target sparsity (0 for dense training) */
    public double sparsity() {
        return spec.method().prunes() ? spec.sparsity() : 0.0;
    }

    /** @return the seed of everything random in the run */
    public long seed() {
        return spec.seed();
    }

    /** @return the example command line of the run, without {@code --output} and {@code --init-from} */
    public List<String> arguments() {
        return spec.arguments();
    }
}
