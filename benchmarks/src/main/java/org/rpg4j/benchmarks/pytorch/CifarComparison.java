package org.rpg4j.benchmarks.pytorch;

import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.rpg4j.benchmarks.models.ModelShapes;
import org.rpg4j.benchmarks.overhead.CifarModels;

/**
 * One CIFAR network on both sides: its DL4J network with rpg4j's fast layers, the name
 * {@code cifar_speed.py} knows it by, and the speed goal of issue 13 (rpg4j images/s over PyTorch
 * images/s at batch 128, 2 threads each), if it has one.
 *
 * @param model the Java model
 * @param pythonName the {@code --model} value of {@code cifar_speed.py}
 * @param label the name printed
 * @param goal the least ratio that passes, or {@code NaN} for a model printed for information only
 */
record CifarComparison(ModelShapes model, String pythonName, String label, double goal) {

    /** The batch size of every comparison. */
    static final int BATCH = 128;

    /**
     * @param model {@code RESNET20}, {@code RESNET32X2} or {@code VGG19}
     * @return its comparison
     * @throws IllegalArgumentException for any other model
     */
    static CifarComparison of(ModelShapes model) {
        return switch (model) {
            case RESNET20 -> new CifarComparison(model, "resnet20", "ResNet-20", 1.0);
            case RESNET32X2 -> new CifarComparison(model, "resnet32x2", "ResNet-32x2", Double.NaN);
            case VGG19 -> new CifarComparison(model, "vgg19", "VGG-19", 0.8);
            default -> throw new IllegalArgumentException("model must be RESNET20, RESNET32X2 or VGG19, got " + model);
        };
    }

    /** @return a new initialised network with rpg4j's fast layers */
    ComputationGraph network() {
        ComputationGraph net = new ComputationGraph(CifarModels.of(model, true));
        net.init();
        return net;
    }

    /**
     * @param ratio rpg4j images/s over PyTorch images/s
     * @return {@code goal >= 1.0x: PASS}, {@code ... FAIL}, or {@code no goal: info}
     */
    String verdict(double ratio) {
        if (Double.isNaN(goal)) {
            return "no goal: info";
        }
        return String.format(Locale.ROOT, "goal >= %.1fx: %s", goal, ratio >= goal ? "PASS" : "FAIL");
    }
}
