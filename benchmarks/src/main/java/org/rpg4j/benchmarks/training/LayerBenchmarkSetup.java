package org.rpg4j.benchmarks.training;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;

/** A single layer of a one-layer float32 network, initialised with DL4J's defaults and a fixed seed. */
final class LayerBenchmarkSetup {

    private LayerBenchmarkSetup() {
    }

    /**
     * @param conf the layer configuration
     * @param channels input channels
     * @param size input height and width
     * @return the initialised layer, with its gradient views allocated
     */
    static Layer layer(org.deeplearning4j.nn.conf.layers.Layer conf, int channels, int size) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(42)
                .dataType(DataType.FLOAT).list().layer(conf)
                .setInputType(InputType.convolutional(size, size, channels)).build());
        net.init();
        net.initGradientsView();
        return net.getLayer(0);
    }

    /**
     * @param shape {@code "<channels>x<size>"}, e.g. {@code "16x32"}
     * @return {channels, size}
     */
    static int[] parse(String shape) {
        String[] parts = shape.split("x");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }
}
