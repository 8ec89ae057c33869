package org.rpg4j.examples.models;

import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;

/**
 * A small CNN for 28x28 images (MNIST, Fashion-MNIST): conv3x3·16-BN-ReLU, 2x2 max pool,
 * conv3x3·32-BN-ReLU, 2x2 max pool, dense 128 with ReLU, dense softmax. 206,970 trainable
 * parameters for 28x28x1 inputs and 10 classes, most of them in the first dense layer. The
 * convolutions are kept narrow because DL4J's standard convolution is the slow part on a CPU.
 */
public final class SmallCnn {
    /** Units of the hidden dense layer. */
    public static final int HIDDEN = 128;
    private static final int C1 = 16;
    private static final int C2 = 32;

    private SmallCnn() {}

    /**
     * @param settings input shape (height and width at least 4), classes, optimiser, weight decay, layers
     * @return the initialised network
     * @throws IllegalArgumentException if the input is smaller than 4x4
     */
    public static ComputationGraph build(NetworkSettings settings) {
        if (settings.height() < 4 || settings.width() < 4) {
            throw new IllegalArgumentException("the small CNN needs inputs of at least 4x4, got "
                    + settings.height() + "x" + settings.width());
        }
        GraphAssembly g = new GraphAssembly(settings);
        String x = g.convBn("c1", GraphAssembly.INPUT, settings.channels(), C1, 3, 1, true);
        x = g.maxPool("pool1", x, 2);
        x = g.convBn("c2", x, C1, C2, 3, 1, true);
        x = g.maxPool("pool2", x, 2);
        int flat = C2 * (settings.height() / 4) * (settings.width() / 4);
        g.graph().addLayer("fc1", new DenseLayer.Builder().nIn(flat).nOut(HIDDEN).activation(Activation.RELU)
                .build(), x);
        g.output("fc1", HIDDEN);
        return g.build();
    }
}
