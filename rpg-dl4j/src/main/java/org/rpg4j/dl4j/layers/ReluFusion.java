package org.rpg4j.dl4j.layers;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A plain ReLU fused into the training forward pass of the layer or vertex before it: a
 * {@link FastBatchNormalization} or a {@link FastElementWiseVertex} {@code Add} whose only reader is a plain-ReLU
 * {@link FastActivationLayer} writes {@code max(y, 0)} in its own pass, and the ReLU layer returns its input
 * (no pass of its own). {@code FastLayers.withFastLayers} (graphs and stacks) marks such pairs in the
 * configuration ({@code rectifyOutput} on the producer, {@code inputRectified} on the ReLU); vertex names and
 * parameters are unchanged. The backward passes are unchanged: the ReLU's mask {@code y > 0} is the same whether
 * it reads {@code y} or {@code max(y, 0)}.
 *
 * <p>Only training forwards are fused (inference runs the layers as before), so the one visible difference is the
 * producer's own activation in a training-mode feed-forward: rectified, the same array as the ReLU's. The system
 * property {@value #PROPERTY} set to {@code false} (read at every call; do not change it during a pass) runs the
 * unfused passes.
 */
final class ReluFusion {

    /** System property: {@code false} runs the producer and the ReLU unfused; {@code true} (default) fuses. */
    static final String PROPERTY = "rpg4j.fuseRelu";

    private ReluFusion() {
    }

    /**
     * @return true unless the system property {@value #PROPERTY} is {@code false}
     * @throws IllegalArgumentException if the property holds another value than {@code true} or {@code false}
     */
    static boolean enabled() {
        return SwitchProperty.isOn(PROPERTY, "true", "false");
    }

    /**
     * @param marked the configuration flag of the producer or the ReLU
     * @param training the pass's mode
     * @return true if this pass is fused: flagged, training, and {@link #enabled}
     */
    static boolean applies(boolean marked, boolean training) {
        return marked && training && enabled();
    }

    /** Applies {@code max(x, 0)} in place (one libnd4j op), for the routes without a fused Java loop. */
    static void rectifyInPlace(INDArray x) {
        Nd4j.exec(new RectifiedLinear(x, x, 0.0));
    }

    /**
     * Marks every fusable producer and ReLU pair of a graph configuration whose layers are already the fast ones:
     * a plain-ReLU {@link FastActivationLayer} without input preprocessor whose one input is a
     * {@link FastBatchNormalization} or a {@link FastElementWiseVertex} that feeds nothing else and is not a
     * network output. Marks on other layers and vertices are cleared, so that converting an edited graph again
     * (a new reader of a marked producer, for instance) leaves only pairs that still hold.
     *
     * @param conf a graph configuration; modified (its layer and vertex objects)
     */
    static void markPairs(ComputationGraphConfiguration conf) {
        Map<String, GraphVertex> vertices = conf.getVertices();
        Map<String, List<String>> inputs = conf.getVertexInputs();
        // marks from an earlier conversion of an edited graph may no longer hold: decide every pair afresh
        for (GraphVertex vertex : vertices.values()) {
            if (vertex instanceof LayerVertex layerVertex) {
                if (layerVertex.getLayerConf().getLayer() instanceof FastBatchNormalization batchNorm) {
                    batchNorm.setRectifyOutput(false);
                } else if (layerVertex.getLayerConf().getLayer() instanceof FastActivationLayer relu) {
                    relu.setInputRectified(false);
                }
            } else if (vertex instanceof FastElementWiseVertex add) {
                add.setRectifyOutput(false);
            }
        }
        for (Map.Entry<String, GraphVertex> entry : vertices.entrySet()) {
            if (!(entry.getValue() instanceof LayerVertex reluVertex)
                    || !(reluVertex.getLayerConf().getLayer() instanceof FastActivationLayer relu)
                    || !FastActivationLayerImpl.isPlainRelu(relu.getActivationFn())
                    || reluVertex.getPreProcessor() != null) {
                continue;
            }
            List<String> in = inputs.get(entry.getKey());
            if (in == null || in.size() != 1 || conf.getNetworkOutputs().contains(in.get(0))
                    || readers(inputs, in.get(0)) != 1) {
                continue;
            }
            GraphVertex producer = vertices.get(in.get(0));
            if (producer instanceof LayerVertex layerVertex
                    && layerVertex.getLayerConf().getLayer() instanceof FastBatchNormalization batchNorm) {
                batchNorm.setRectifyOutput(true);
                relu.setInputRectified(true);
            } else if (producer instanceof FastElementWiseVertex add && add.getOp() == ElementWiseVertex.Op.Add) {
                add.setRectifyOutput(true);
                relu.setInputRectified(true);
            }
        }
    }

    /**
     * Marks every fusable pair of a layer stack whose layers are already the fast ones: a
     * {@link FastBatchNormalization} directly followed by a plain-ReLU {@link FastActivationLayer} without input
     * preprocessor (in a stack the next layer is a layer's only reader). Marks on other layers are cleared.
     *
     * @param conf a stack configuration; modified (its layer objects)
     */
    static void markPairs(MultiLayerConfiguration conf) {
        List<NeuralNetConfiguration> layers = conf.getConfs();
        for (NeuralNetConfiguration layer : layers) {
            if (layer.getLayer() instanceof FastBatchNormalization batchNorm) {
                batchNorm.setRectifyOutput(false);
            } else if (layer.getLayer() instanceof FastActivationLayer relu) {
                relu.setInputRectified(false);
            }
        }
        for (int i = 0; i + 1 < layers.size(); i++) {
            if (layers.get(i).getLayer() instanceof FastBatchNormalization batchNorm
                    && layers.get(i + 1).getLayer() instanceof FastActivationLayer relu
                    && FastActivationLayerImpl.isPlainRelu(relu.getActivationFn())
                    && conf.getInputPreProcess(i + 1) == null) {
                batchNorm.setRectifyOutput(true);
                relu.setInputRectified(true);
            }
        }
    }

    private static int readers(Map<String, List<String>> inputs, String name) {
        int count = 0;
        for (List<String> in : inputs.values()) {
            for (String s : in) {
                if (s.equals(name)) {
                    count++;
                }
            }
        }
        return count;
    }
}
