package org.rpg4j.benchmarks.overhead;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rpg4j.benchmarks.models.ModelShapes;
import org.rpg4j.benchmarks.training.ResNetCifar;
import org.rpg4j.dl4j.layers.FastLayers;

/**
 * The CIFAR-10 networks of the overhead targets as DL4J ComputationGraphs with standard layers
 * (convert with {@link FastLayers#withFastLayers}): input {@code [batch, 3, 32, 32]}, float32,
 * Nesterov momentum 0.9 with learning rate 0.1, L2 5e-4, convolutions without bias, each followed by
 * batch normalisation. Their prunable tensors are those of {@link ModelShapes}.
 *
 * <ul>
 *   <li>ResNet-20: {@link ResNetCifar#resnet20} (the network of the training-speed benchmark).
 *   <li>ResNet-32 x2: the same construction with 5 blocks per stage and doubled widths 32, 64, 128
 *       (ResNetCifar has no width parameter).
 *   <li>VGG-19: 16 conv3x3-BN-ReLU layers (64, 64, M, 128, 128, M, 256 x 4, M, 512 x 4, M,
 *       512 x 4, M; M = 2x2 max pooling), then a 512 x 10 softmax layer.
 * </ul>
 */
public final class CifarModels {

    private static final long SEED = 42;

    private CifarModels() {
    }

    /**
     * @param model {@code RESNET20}, {@code RESNET32X2} or {@code VGG19}
     * @param fast whether to swap in rpg4j's fast convolution and batch-norm layers
     * @return the configuration
     * @throws IllegalArgumentException for a model that is not a CIFAR network
     */
    public static ComputationGraphConfiguration of(ModelShapes model, boolean fast) {
        ComputationGraphConfiguration standard = switch (model) {
            case RESNET20 -> ResNetCifar.resnet20(ResNetCifar.Layers.STANDARD, 0.1, SEED);
            case RESNET32X2 -> wideResNet(5, 32);
            case VGG19 -> vgg19();
            default -> throw new IllegalArgumentException("model must be a CIFAR network, got " + model);
        };
        return fast ? FastLayers.withFastLayers(standard) : standard;
    }

    private static ComputationGraphConfiguration.GraphBuilder graph() {
        return new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.FLOAT)
                .updater(new Nesterovs(0.1, 0.9)).l2(5e-4).weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same).graphBuilder().addInputs("input")
                .setInputTypes(InputType.convolutional(32, 32, 3));
    }

    private static ComputationGraphConfiguration wideResNet(int blocksPerStage, int baseWidth) {
        ComputationGraphConfiguration.GraphBuilder g = graph();
        String previous = relu(g, "stem", convBn(g, "stem", "input", baseWidth, 3, 1));
        for (int stage = 0; stage < 3; stage++) {
            int width = baseWidth << stage;
            for (int block = 0; block < blocksPerStage; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                String name = "s" + stage + "b" + block;
                String first = relu(g, name + "_1", convBn(g, name + "_1", previous, width, 3, stride));
                String second = convBn(g, name + "_2", first, width, 3, 1);
                String shortcut = stride == 1 ? previous : convBn(g, name + "_proj", previous, width, 1, stride);
                g.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), second, shortcut);
                previous = relu(g, name, name + "_add");
            }
        }
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), previous);
        return output(g, "pool");
    }

    private static ComputationGraphConfiguration vgg19() {
        int[][] stages = {{64, 64}, {128, 128}, {256, 256, 256, 256}, {512, 512, 512, 512}, {512, 512, 512, 512}};
        ComputationGraphConfiguration.GraphBuilder g = graph();
        String previous = "input";
        for (int s = 0; s < stages.length; s++) {
            for (int c = 0; c < stages[s].length; c++) {
                String name = "conv" + s + "_" + c;
                previous = relu(g, name, convBn(g, name, previous, stages[s][c], 3, 1));
            }
            g.addLayer("pool" + s, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                    .stride(2, 2).build(), previous);
            previous = "pool" + s;
        }
        return output(g, previous);
    }

    private static String convBn(ComputationGraphConfiguration.GraphBuilder g, String name, String input,
                                 int channels, int kernel, int stride) {
        g.addLayer(name + "_conv", new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(channels)
                .hasBias(false).activation(Activation.IDENTITY).build(), input)
                .addLayer(name + "_bn", new BatchNormalization.Builder().build(), name + "_conv");
        return name + "_bn";
    }

    private static String relu(ComputationGraphConfiguration.GraphBuilder g, String name, String input) {
        g.addLayer(name + "_relu", new ActivationLayer(Activation.RELU), input);
        return name + "_relu";
    }

    private static ComputationGraphConfiguration output(ComputationGraphConfiguration.GraphBuilder g, String input) {
        g.addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), input).setOutputs("output");
        return g.build();
    }
}
