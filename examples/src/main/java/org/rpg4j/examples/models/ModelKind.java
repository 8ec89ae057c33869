package org.rpg4j.examples.models;

import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** The example networks, with their command-line names. */
public enum ModelKind {
    /** ResNet-20 for 32x32 inputs (0.27 M parameters at width 1). */
    RESNET20("resnet20", 32),
    /** ResNet-32 for 32x32 inputs (0.46 M at width 1; RPG's CIFAR runs use width 2). */
    RESNET32("resnet32", 32),
    /** ResNet-56 for 32x32 inputs (0.85 M at width 1). */
    RESNET56("resnet56", 32),
    /** VGG-19 with batch norm for 32x32 inputs (20.04 M). */
    VGG19("vgg19", 32),
    /** The small CNN for 28x28 inputs (0.21 M). */
    SMALL_CNN("small-cnn", 28);

    private final String cliName;
    private final int nativeSide;

    ModelKind(String cliName, int nativeSide) {
        this.cliName = cliName;
        this.nativeSide = nativeSide;
    }

    /** @return the name used on the command line and in outputs */
    public String cliName() {
        return cliName;
    }

    /** @return side of the square inputs the model is designed for (used to shape synthetic data) */
    public int nativeSide() {
        return nativeSide;
    }

    /** @return channels of the inputs the model is designed for (3 for the CIFAR models, 1 for the small CNN) */
    public int nativeChannels() {
        return this == SMALL_CNN ? 1 : 3;
    }

    /**
     * Builds the network.
     *
     * @param widthMultiplier channel multiplier of the ResNets ({@code >= 1}); must be 1 for the others
     * @param shortcut shortcut option of the ResNets (ignored by the others)
     * @param settings input shape, classes, optimiser, weight decay, layers
     * @return the initialised network
     * @throws IllegalArgumentException if widthMultiplier is not 1 for a model without one
     */
    public ComputationGraph build(int widthMultiplier, ShortcutKind shortcut, NetworkSettings settings) {
        if (widthMultiplier != 1 && (this == VGG19 || this == SMALL_CNN)) {
            throw new IllegalArgumentException("widthMultiplier must be 1 for " + cliName + ", got " + widthMultiplier);
        }
        return switch (this) {
            case RESNET20 -> ResNetCifar.build(20, widthMultiplier, shortcut, settings);
            case RESNET32 -> ResNetCifar.build(32, widthMultiplier, shortcut, settings);
            case RESNET56 -> ResNetCifar.build(56, widthMultiplier, shortcut, settings);
            case VGG19 -> Vgg19.build(settings);
            case SMALL_CNN -> SmallCnn.build(settings);
        };
    }

    /**
     * @param name a command-line name such as {@code resnet32} (case-insensitive)
     * @return the model
     * @throws IllegalArgumentException naming the allowed values
     */
    public static ModelKind fromCliName(String name) {
        for (ModelKind kind : values()) {
            if (kind.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new IllegalArgumentException("model must be one of resnet20, resnet32, resnet56, vgg19, small-cnn; got "
                + name);
    }

    @Override
    public String toString() {
        return cliName;
    }
}
