package org.rpg4j.examples.models;

import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * VGG-19 with batch normalisation for small images, as used in the CIFAR pruning literature
 * (Liu et al., "Rethinking the Value of Network Pruning", 2019): sixteen 3x3 convolutions without
 * bias, each followed by batch norm and ReLU, in stages of 64, 64 | 128, 128 | 256 x4 | 512 x4 |
 * 512 x4 with 2x2 max pooling between stages, then global average pooling (the 2x2 average pool of
 * the reference on 32x32 inputs) and one dense softmax layer: 20.04 M parameters for 10 classes.
 */
public final class Vgg19 {
    private static final int[][] STAGES = {{64, 64}, {128, 128}, {256, 256, 256, 256}, {512, 512, 512, 512},
            {512, 512, 512, 512}};

    private Vgg19() {}

    /**
     * @param settings input shape (height and width at least 16), classes, optimiser, weight decay, layers
     * @return the initialised network
     * @throws IllegalArgumentException if the input is smaller than 16x16
     */
    public static ComputationGraph build(NetworkSettings settings) {
        if (settings.height() < 16 || settings.width() < 16) {
            throw new IllegalArgumentException("VGG-19 needs inputs of at least 16x16 (four 2x2 poolings), got "
                    + settings.height() + "x" + settings.width());
        }
        GraphAssembly g = new GraphAssembly(settings);
        String x = GraphAssembly.INPUT;
        int channels = settings.channels();
        for (int s = 0; s < STAGES.length; s++) {
            if (s > 0) {
                x = g.maxPool("pool" + s, x, 2);
            }
            for (int i = 0; i < STAGES[s].length; i++) {
                x = g.convBn("c" + (s + 1) + "_" + (i + 1), x, channels, STAGES[s][i], 3, 1, true);
                channels = STAGES[s][i];
            }
        }
        g.classifier(x, channels);
        return g.build();
    }
}
