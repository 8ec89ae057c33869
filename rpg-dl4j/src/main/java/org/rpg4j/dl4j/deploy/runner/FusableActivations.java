package org.rpg4j.dl4j.deploy.runner;

import java.util.Optional;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.rpg4j.sparse.kernel.FusedActivation;

/** Which DL4J activations a kernel can apply itself: identity and the plain ReLU. */
final class FusableActivations {

    private FusableActivations() {
    }

    /**
     * @param activation a layer's activation
     * @return the fused equivalent, or empty (a ReLU with a cap, threshold or slope is not fused)
     */
    static Optional<FusedActivation> of(IActivation activation) {
        if (activation instanceof ActivationIdentity) {
            return Optional.of(FusedActivation.IDENTITY);
        }
        if (activation instanceof ActivationReLU relu && relu.getMax() == null && zeroOrNull(relu.getThreshold())
                && zeroOrNull(relu.getNegativeSlope())) {
            return Optional.of(FusedActivation.RELU);
        }
        return Optional.empty();
    }

    private static boolean zeroOrNull(Double value) {
        return value == null || value == 0.0;
    }
}
