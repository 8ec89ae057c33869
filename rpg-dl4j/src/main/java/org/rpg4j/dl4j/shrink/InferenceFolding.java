package org.rpg4j.dl4j.shrink;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment transform of a trained (shrunk or dense) network: every inference-mode batch norm that
 * directly follows a 2-D convolution is folded into that convolution's weights and bias, and an
 * activation layer right after it becomes the convolution's own activation. The result is a DL4J network
 * of the same type with fewer layers whose {@code output(x)} equals the original's
 * {@code output(x)} (inference mode) up to float32 rounding.
 *
 * <p>With the batch norm's running statistics, {@code y = gamma (W x + b - mean) / sqrt(var + eps) + beta
 * = (s W) x + (s (b - mean) + beta)}, {@code s = gamma / sqrt(var + eps)} per output channel (the
 * arithmetic of {@code org.rpg4j.dl4j.deploy.runner.BatchNormFold}, shared with the sparse runner). A
 * convolution without a bias gets one. Why it pays: at batch 1 on 32x32 images each layer call costs a
 * fixed amount of native-op overhead whatever its channel count, and folding removes two of the three
 * layer calls of a conv-BN-ReLU block ({@code docs/structured.md}, "Inference transform").
 *
 * <p>What is merged: a convolution (DL4J's {@code ConvolutionLayer} or {@code FastConvolutionLayer},
 * NCHW, identity activation) whose only reader is a {@code BatchNormalization} (or
 * {@code FastBatchNormalization}; NCHW, not {@code lockGammaBeta}) and then, if that batch norm's only
 * reader is an {@code ActivationLayer}, that activation; or a convolution followed directly by an
 * activation layer. Absorbed layers must have no input preprocessor and must not be network outputs. A
 * batch norm anywhere else (after pooling, a dense layer, an add, a convolution read by other vertices
 * too) is kept and listed in {@link FoldedNetwork#leftAlone()} with the reason. In a ComputationGraph, a
 * residual add (DL4J's {@code ElementWiseVertex}, op Add) whose only reader is a plain ReLU layer becomes one
 * {@link org.rpg4j.dl4j.layers.FastAddVertex} with the ReLU: one call instead of two, a Java loop when small.
 *
 * <p>The new network is for inference: its batch norms are gone, so training it further is training a
 * different network, and its updater state starts empty. The original is not modified.
 */
public final class InferenceFolding {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceFolding.class);

    private InferenceFolding() {}

    /**
     * @param network an initialised network; not modified
     * @return the folded network (new parameters, same layer names for the kept layers), what was merged and
     *     the batch norms kept
     * @throws IllegalArgumentException if {@code network} is null or not initialised
     */
    public static FoldedNetwork<ComputationGraph> fold(ComputationGraph network) {
        if (network == null) {
            throw new IllegalArgumentException("network must not be null");
        }
        if (network.getVertices() == null) {
            throw new IllegalArgumentException("network must be initialised (call init()) before folding");
        }
        return logged(GraphFolding.fold(network));
    }

    /**
     * @param network an initialised network; not modified
     * @return the folded network (new parameters; layer indices shift down by the absorbed layers), what
     *     was merged (by original layer index) and the batch norms kept
     * @throws IllegalArgumentException if {@code network} is null or not initialised
     */
    public static FoldedNetwork<MultiLayerNetwork> fold(MultiLayerNetwork network) {
        if (network == null) {
            throw new IllegalArgumentException("network must not be null");
        }
        if (network.getLayers() == null) {
            throw new IllegalArgumentException("network must be initialised (call init()) before folding");
        }
        return logged(LayerListFolding.fold(network));
    }

    private static <N extends org.deeplearning4j.nn.api.Model> FoldedNetwork<N> logged(FoldedNetwork<N> result) {
        LOG.info("inference folding: {} convolutions absorbed a batch norm and/or activation, {} batch norms kept",
                result.merged().size(), result.leftAlone().size());
        LOG.debug("kept batch norms: {}", result.leftAlone());
        return result;
    }
}
