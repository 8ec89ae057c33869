package org.rpg4j.dl4j;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * CIFAR ResNet-20 (He et al. 2016, section 4.2) as a ComputationGraph: stem conv 16, three stages
 * of three basic blocks (16, 32, 64 channels; 1x1 projection at stride 2), global average pooling,
 * softmax 10; 21 convolutions plus the output layer, about 0.27 M parameters.
 */
final class ResNet20 {
    private ResNet20() {}

    static ComputationGraph build() {
        ComputationGraphConfiguration.GraphBuilder g = Nets.base(new Nesterovs(0.1, 0.9), Nets.Decay.NONE).l2(5e-4)
                .convolutionMode(ConvolutionMode.Same).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(32, 32, 3));
        String last = convBn(g, "stem", "in", 16, 1);
        g.addLayer("stem_relu", relu(), last);
        last = "stem_relu";
        int channels = 16;
        for (int stage = 0; stage < 3; stage++) {
            for (int block = 0; block < 3; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                last = block(g, "s" + stage + "b" + block, last, channels << stage, stride);
            }
        }
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), last)
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    private static String block(ComputationGraphConfiguration.GraphBuilder g, String name, String in, int channels,
                                int stride) {
        String a = convBn(g, name + "_c1", in, channels, stride);
        g.addLayer(name + "_r1", relu(), a);
        String b = convBn(g, name + "_c2", name + "_r1", channels, 1);
        String shortcut = stride == 1 ? in : convBn(g, name + "_proj", in, channels, stride, 1);
        g.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), b, shortcut);
        g.addLayer(name + "_out", relu(), name + "_add");
        return name + "_out";
    }

    private static String convBn(ComputationGraphConfiguration.GraphBuilder g, String name, String in, int channels,
                                 int stride) {
        return convBn(g, name, in, channels, stride, 3);
    }

    private static String convBn(ComputationGraphConfiguration.GraphBuilder g, String name, String in, int channels,
                                 int stride, int kernel) {
        g.addLayer(name, new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(channels)
                .hasBias(false).activation(Activation.IDENTITY).build(), in);
        g.addLayer(name + "_bn", new BatchNormalization.Builder().build(), name);
        return name + "_bn";
    }

    private static ActivationLayer relu() {
        return new ActivationLayer.Builder().activation(Activation.RELU).build();
    }
}
