package org.rpg4j.examples.models;

import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The CIFAR ResNets of He et al., "Deep Residual Learning for Image Recognition" (2016), section
 * 4.2: a 3x3 stem, three stages of {@code n = (depth - 2) / 6} basic blocks with {@code 16w},
 * {@code 32w}, {@code 64w} channels ({@code w} the width multiplier; the first block of stages 2
 * and 3 has stride 2), global average pooling and a dense softmax layer. Depth 20, 32, 56 give
 * 0.27 M, 0.46 M and 0.85 M parameters with option-A shortcuts (w = 1). RPG's CIFAR runs use
 * ResNet-32 at double width (w = 2).
 */
public final class ResNetCifar {
    private ResNetCifar() {}

    /**
     * @param depth {@code 6n + 2} for some {@code n >= 1}: 8, 14, 20, 32, 44, 56, 110, ...
     * @param widthMultiplier channels of every layer are multiplied by this, {@code >= 1}
     * @param shortcut shortcut of the blocks that change shape
     * @param settings input shape, classes, optimiser, weight decay, layers
     * @return the initialised network
     * @throws IllegalArgumentException if depth is not {@code 6n + 2} or widthMultiplier is below 1
     */
    public static ComputationGraph build(int depth, int widthMultiplier, ShortcutKind shortcut,
                                         NetworkSettings settings) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("depth must be 6n + 2 with n >= 1 (20, 32, 56, ...), got " + depth);
        }
        Checks.positive("widthMultiplier", widthMultiplier);
        int blocks = (depth - 2) / 6;
        GraphAssembly g = new GraphAssembly(settings);
        int channels = 16 * widthMultiplier;
        String x = g.convBn("stem", GraphAssembly.INPUT, settings.channels(), channels, 3, 1, true);
        for (int stage = 1; stage <= 3; stage++) {
            int out = 16 * widthMultiplier << (stage - 1);
            for (int b = 1; b <= blocks; b++) {
                int stride = stage > 1 && b == 1 ? 2 : 1;
                x = block(g, "s" + stage + "b" + b, x, channels, out, stride, shortcut);
                channels = out;
            }
        }
        g.classifier(x, channels);
        return g.build();
    }

    /** conv3x3(stride)-BN-ReLU-conv3x3-BN, plus the shortcut, then ReLU. */
    private static String block(GraphAssembly g, String name, String input, int nIn, int nOut, int stride,
                                ShortcutKind shortcut) {
        String a = g.convBn(name + "_1", input, nIn, nOut, 3, stride, true);
        String b = g.convBn(name + "_2", a, nOut, nOut, 3, 1, false);
        String identity = input;
        if (stride != 1 || nIn != nOut) {
            identity = shortcut == ShortcutKind.B ? g.convBn(name + "_proj", input, nIn, nOut, 1, stride, false)
                    : zeroPaddedShortcut(g, name, input, nIn, nOut, stride);
        }
        g.graph().addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), b, identity);
        return g.relu(name + "_relu", name + "_add");
    }

    /**
     * Option A: {@code x[:, :, ::stride, ::stride]} (a 1x1 max pooling with that stride), then the
     * channels doubled with zeros. The reference puts the zeros on both sides of the copied
     * channels; putting them after is the same network up to a permutation of the block's filters.
     */
    private static String zeroPaddedShortcut(GraphAssembly g, String name, String input, int nIn, int nOut,
                                             int stride) {
        if (nOut != 2 * nIn) {
            throw new IllegalArgumentException("option-A shortcuts need nOut = 2 * nIn, got " + nIn + " -> " + nOut);
        }
        String sub = name + "_sub";
        g.graph().addLayer(sub, new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(1, 1)
                .stride(stride, stride).build(), input);
        g.graph().addVertex(name + "_zeros", new ScaleVertex(0.0), sub);
        g.graph().addVertex(name + "_pad", new MergeVertex(), sub, name + "_zeros");
        return name + "_pad";
    }
}
