package org.rpg4j.dl4j.layers;

import static org.rpg4j.dl4j.layers.TestArrays.gaussian;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The one-layer batch-normalisation networks that the tests comparing {@link FastBatchNormalization} with DL4J's
 * {@link BatchNormalization} build: the layer's settings, seeded parameters, the network around it.
 */
final class BatchNormNets {

    private BatchNormNets() {
    }

    /**
     * @param builder DL4J's or the fast layer's builder
     * @param useLogStd the running statistic is log10 of the std instead of the variance
     * @param lockGammaBeta gamma 2 and beta 0.5, fixed
     * @return the builder, with those settings
     */
    static BatchNormalization.Builder configure(BatchNormalization.Builder builder, boolean useLogStd,
                                                boolean lockGammaBeta) {
        builder.useLogStd(useLogStd).lockGammaBeta(lockGammaBeta);
        if (lockGammaBeta) {
            builder.gamma(2.0).beta(0.5);
        }
        return builder;
    }

    /**
     * Random gamma, beta and running mean (N(0, 0.25)), a positive running variance (at least 0.5), gamma near 1;
     * copy them to another network with {@code setParams}.
     *
     * @param net a network of {@link #network}; its parameters are overwritten
     * @param useLogStd as the layer was configured
     * @param lockGammaBeta as the layer was configured
     * @param seed RNG seed
     */
    static void randomizeParams(MultiLayerNetwork net, boolean useLogStd, boolean lockGammaBeta, long seed) {
        net.setParams(gaussian(seed, 1, net.numParams()).muli(0.5));
        if (!useLogStd) {
            INDArray variance = net.getLayer(0).getParam("var");
            variance.assign(Transforms.abs(variance).addi(0.5));
        }
        if (!lockGammaBeta) {
            net.getLayer(0).getParam("gamma").addi(1.0);
        }
    }

    /**
     * @param layer the batch-normalisation layer
     * @param input its input type
     * @return an initialised float32 network of that one layer (seed 1, SGD 0.1), with its gradient view
     */
    static MultiLayerNetwork network(BatchNormalization layer, InputType input) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.FLOAT).updater(new Sgd(0.1)).list().layer(layer).setInputType(input).build());
        net.init();
        net.initGradientsView();
        return net;
    }

    /**
     * @param pair a layer's gradients and input gradient, which the next pass may overwrite
     * @return copies of both
     */
    static Pair<Gradient, INDArray> copy(Pair<Gradient, INDArray> pair) {
        Gradient g = new DefaultGradient();
        pair.getFirst().gradientForVariable().forEach((key, value) -> g.setGradientFor(key, value.dup()));
        return new Pair<>(g, pair.getSecond().dup());
    }
}
