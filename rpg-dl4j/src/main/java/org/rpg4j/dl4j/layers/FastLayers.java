package org.rpg4j.dl4j.layers;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Swaps the fast layers into existing network configurations, and reports whether the native
 * backend has oneDNN.
 *
 * <p>Only exact {@code ConvolutionLayer}, {@code BatchNormalization} and {@code ActivationLayer}
 * configurations are replaced (subclasses such as {@code Convolution1DLayer} or
 * {@code Deconvolution2D} are kept), and in graphs exact {@code ElementWiseVertex} ones
 * ({@link FastElementWiseVertex}).
 * Parameters keep their keys, shapes and order, so a network trained with DL4J's layers can load
 * its parameters into the converted configuration and continue.
 */
public final class FastLayers {

    private static final Logger LOG = LoggerFactory.getLogger(FastLayers.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private FastLayers() {
    }

    /**
     * @param standard a configuration; not modified
     * @return a deep copy in which every standard convolution, batch norm and activation layer is fast, and every
     *     batch norm directly followed by a plain ReLU layer applies that ReLU in its training forward pass
     *     ({@link FastBatchNormalization#isRectifyOutput})
     * @throws IllegalArgumentException if a layer to replace is NHWC or has invalid settings
     */
    public static MultiLayerConfiguration withFastLayers(MultiLayerConfiguration standard) {
        MultiLayerConfiguration copy = standard.clone();
        for (NeuralNetConfiguration layerConf : copy.getConfs()) {
            layerConf.setLayer(fastVersion(layerConf.getLayer()));
        }
        ReluFusion.markPairs(copy);
        return copy;
    }

    /**
     * @param standard a configuration; not modified
     * @return a deep copy in which every standard convolution, batch norm and activation layer and
     *     every standard element-wise vertex is fast, and every batch norm or add whose only reader is a
     *     plain ReLU layer applies that ReLU in its training forward pass ({@link
     *     FastBatchNormalization#isRectifyOutput}, {@link FastElementWiseVertex#isRectifyOutput}; names and
     *     parameters unchanged)
     * @throws IllegalArgumentException if a layer to replace is NHWC or has invalid settings
     */
    public static ComputationGraphConfiguration withFastLayers(ComputationGraphConfiguration standard) {
        ComputationGraphConfiguration copy = standard.clone();
        for (Map.Entry<String, GraphVertex> entry : copy.getVertices().entrySet()) {
            GraphVertex vertex = entry.getValue();
            if (vertex instanceof LayerVertex layerVertex) {
                NeuralNetConfiguration layerConf = layerVertex.getLayerConf();
                layerConf.setLayer(fastVersion(layerConf.getLayer()));
            } else if (vertex.getClass() == ElementWiseVertex.class) {
                entry.setValue(FastElementWiseVertex.from((ElementWiseVertex) vertex));
            }
        }
        ReluFusion.markPairs(copy);
        return copy;
    }

    /**
     * @return true if the loaded libnd4j build contains oneDNN (the {@code -onednn} classifiers),
     *     which is what makes the fast layers fast
     */
    public static boolean hasOneDnn() {
        String buildInfo = Nd4j.getBackend().buildInfo();
        return buildInfo != null && buildInfo.contains("HAVE_ONEDNN");
    }

    /** Logs one warning per JVM if the fast layers run without oneDNN. */
    static void warnOnceIfNoOneDnn() {
        if (!WARNED.getAndSet(true) && !hasOneDnn()) {
            LOG.warn("libnd4j was built without oneDNN: FastConvolutionLayer runs, but about 10x slower. "
                    + "On linux-x86_64 use nd4j-native with classifier linux-x86_64-onednn-avx2.");
        }
    }

    private static Layer fastVersion(Layer layer) {
        if (layer != null && layer.getClass() == ActivationLayer.class) {
            return FastActivationLayer.from((ActivationLayer) layer);
        }
        if (layer != null && layer.getClass() == ConvolutionLayer.class) {
            return FastConvolutionLayer.from((ConvolutionLayer) layer);
        }
        if (layer != null && layer.getClass() == BatchNormalization.class) {
            return FastBatchNormalization.from((BatchNormalization) layer);
        }
        return layer;
    }
}
