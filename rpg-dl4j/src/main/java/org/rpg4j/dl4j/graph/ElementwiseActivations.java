package org.rpg4j.dl4j.graph;

import java.util.Set;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationCube;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.activations.impl.ActivationHardSigmoid;
import org.nd4j.linalg.activations.impl.ActivationHardTanH;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationMish;
import org.nd4j.linalg.activations.impl.ActivationRationalTanh;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationRectifiedTanh;
import org.nd4j.linalg.activations.impl.ActivationSELU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftPlus;
import org.nd4j.linalg.activations.impl.ActivationSoftSign;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.activations.impl.ActivationThresholdedReLU;

/**
 * The activation functions that act on each element alone, so that removing one channel leaves the
 * others unchanged. Softmax (mixes channels), PReLU (has parameters) and RReLU (random) are not.
 */
public final class ElementwiseActivations {
    private static final Set<Class<?>> ELEMENTWISE = Set.of(ActivationCube.class, ActivationELU.class,
            ActivationGELU.class, ActivationHardSigmoid.class, ActivationHardTanH.class, ActivationIdentity.class,
            ActivationLReLU.class, ActivationMish.class, ActivationRationalTanh.class, ActivationReLU.class,
            ActivationReLU6.class, ActivationRectifiedTanh.class, ActivationSELU.class, ActivationSigmoid.class,
            ActivationSoftPlus.class, ActivationSoftSign.class, ActivationSwish.class, ActivationTanH.class,
            ActivationThresholdedReLU.class);

    private ElementwiseActivations() {}

    /**
     * @param l a layer configuration
     * @return the activation function the layer applies at its output: its own for convolution, dense
     *     and output layers and activation layers; null for the others (DL4J's batch norm and dropout
     *     ignore the configured activation, even the global default)
     */
    public static IActivation appliedBy(Layer l) {
        if (l instanceof ActivationLayer a) {
            return a.getActivationFn();
        }
        if (l instanceof ConvolutionLayer || l instanceof DenseLayer || l instanceof BaseOutputLayer) {
            return ((BaseLayer) l).getActivationFn();
        }
        return null;
    }

    /**
     * @param fn an activation function (as {@link #appliedBy} returns it), or null for none
     * @return whether {@code fn} is null (no activation) or acts element by element
     */
    public static boolean isElementwise(IActivation fn) {
        return fn == null || ELEMENTWISE.contains(fn.getClass());
    }
}
