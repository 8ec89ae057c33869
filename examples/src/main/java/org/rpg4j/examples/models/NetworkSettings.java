package org.rpg4j.examples.models;

import java.util.Objects;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * What every example network needs besides its architecture.
 *
 * @param channels input channels, {@code >= 1}
 * @param height input height in pixels, {@code >= 1}
 * @param width input width in pixels, {@code >= 1}
 * @param numClasses output classes, {@code >= 2}
 * @param updater optimiser (with its learning-rate schedule)
 * @param weightDecay coupled weight decay (L2 added to the gradient) on convolution and dense
 *     weights and biases, never on batch normalisation; {@code >= 0}
 * @param layers maker of the convolution and batch-normalisation layers
 * @param seed seed of the weight initialisation
 */
public record NetworkSettings(int channels, int height, int width, int numClasses, IUpdater updater,
                              double weightDecay, LayerKit layers, long seed) {
    /** @throws IllegalArgumentException naming the first invalid value */
    public NetworkSettings {
        Checks.positive("channels", channels);
        Checks.positive("height", height);
        Checks.positive("width", width);
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be >= 2, got " + numClasses);
        }
        Objects.requireNonNull(updater, "updater");
        Objects.requireNonNull(layers, "layers");
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be finite and >= 0, got " + weightDecay);
        }
    }
}
