package org.rpg4j.dl4j.shrink;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.graph.NetworkNode;

/**
 * Folds the constant value of removed input channels into a layer's bias: for a dense layer
 * {@code b[o] += sum_i c_i W[i, o]}; for a convolution {@code b[o] += sum_i c_i sum_{y,x} W[o, i, y, x]},
 * which is exact only without zero padding (with padding, border outputs see fewer kernel taps of
 * the constant: {@link #isExact} is false there).
 */
final class BiasFolding {
    private BiasFolding() {}

    /**
     * @return whether folding a nonzero constant input channel of {@code n} into its bias is exact
     *     (dense, or a convolution without padding, and a bias to fold into)
     */
    static boolean isExact(NetworkNode n) {
        WeightLayout layout = WeightLayout.of(n.layer());
        if (layout == null || !n.params().containsKey("b")) {
            return false;
        }
        if (layout.kind() == WeightLayout.Kind.DENSE) {
            return true;
        }
        if (layout.kind() != WeightLayout.Kind.CONVOLUTION) {
            return false;
        }
        ConvolutionLayer c = (ConvolutionLayer) n.layer();
        return c.getConvolutionMode() != ConvolutionMode.Same && Arrays.stream(c.getPadding()).allMatch(p -> p == 0);
    }

    /**
     * @param n a dense or convolution layer
     * @param constants per input channel: the constant of a removed channel, 0 for every other
     * @return the bias to add, {@code [out]}, or null if nothing is to be folded
     */
    static INDArray contribution(NetworkNode n, double[] constants) {
        if (Arrays.stream(constants).allMatch(c -> c == 0.0)) {
            return null;
        }
        WeightLayout layout = WeightLayout.of(n.layer());
        INDArray w = n.params().get("W");
        INDArray c = Nd4j.createFromArray(constants).castTo(w.dataType());
        if (layout.kind() == WeightLayout.Kind.DENSE) {
            // [1, in] x [in, out]
            return c.reshape(1, constants.length).mmul(w).reshape(w.size(1));
        }
        // sum over the kernel: [out, in], times [in, 1]
        INDArray perChannel = w.sum(2, 3);
        return perChannel.mmul(c.reshape(constants.length, 1)).reshape(w.size(0));
    }
}
