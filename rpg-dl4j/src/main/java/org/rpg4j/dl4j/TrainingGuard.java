package org.rpg4j.dl4j;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.rpg4j.dl4j.TrainingDivergedException.Quantity;

/**
 * rpg4j's checks on a training iteration, each one reduction over the flat arrays so that they run
 * every iteration:
 * <ul>
 *   <li>divergence: a NaN or infinite loss or gradient (before the updater) or weight (after the
 *       step) stops training with a {@link TrainingDivergedException} naming the iteration, the
 *       first layer and parameter holding such a value; a masked NaN would stay NaN (NaN times 0 is
 *       NaN) and a topology update would rank garbage, so rpg4j never continues;
 *   <li>pruned weights made non-zero from outside rpg4j (a {@code setParams}, {@code setParam},
 *       or an assignment into the parameters) stop training with an {@link IllegalStateException}:
 *       the next topology update would otherwise let them back in by magnitude.
 * </ul>
 */
final class TrainingGuard {
    private final NetworkAdapter net;
    private final List<TensorBinding> bindings;

    TrainingGuard(NetworkAdapter net, List<TensorBinding> bindings) {
        this.net = net;
        this.bindings = bindings;
    }

    /** Before the updater: the minibatch's loss and the flat gradient must be finite. */
    void checkLossAndGradients(int iteration) {
        double score = net.model().score();
        if (!Double.isFinite(score)) {
            throw diverged(Quantity.LOSS, iteration, net.flatGradients(), "the loss is " + score);
        }
        INDArray gradients = net.flatGradients();
        if (!Double.isFinite(gradients.sumNumber().doubleValue())) {
            throw diverged(Quantity.GRADIENT, iteration, gradients, "a gradient is NaN or infinite");
        }
    }

    /** After the step: the flat parameter vector must be finite. */
    void checkWeights(int iteration) {
        INDArray params = net.params();
        if (!Double.isFinite(params.sumNumber().doubleValue())) {
            throw diverged(Quantity.WEIGHT, iteration, params, "a weight is NaN or infinite after the step");
        }
    }

    /**
     * @throws IllegalStateException if a pruned weight is not 0.0 (call before capturing gradients:
     *     the check uses the capture buffers as scratch)
     */
    void checkPrunedWeights(int iteration) {
        for (TensorBinding b : bindings) {
            long nonZero = b.prunedNonZero();
            if (nonZero > 0) {
                throw new IllegalStateException(nonZero + " pruned weights of '" + b.name() + "' are non-zero at "
                        + "iteration " + iteration + ": the parameters were changed outside rpg4j (setParams, "
                        + "setParam, init(params, ...) or an assignment into them) while pruning runs. Pruned "
                        + "weights must stay 0.0: change weights before Dl4jPruning.attach or after "
                        + "Pruning.finish()");
            }
        }
    }

    private TrainingDivergedException diverged(Quantity quantity, int iteration, INDArray flat, String what) {
        String[] where = firstNonFinite(flat);
        String location = where == null ? "no single parameter holds it (the non-finite value is in the loss only)"
                : "first non-finite " + (quantity == Quantity.WEIGHT ? "weight" : "gradient") + ": layer '" + where[0]
                        + "', parameter '" + where[1] + "'";
        return new TrainingDivergedException(quantity, iteration, where == null ? null : where[0],
                where == null ? null : where[1], "training diverged at iteration " + iteration + ": " + what + "; "
                        + location + ". rpg4j stops here rather than mask or prune non-finite values: lower the "
                        + "learning rate or clip gradients, and continue from the last Pruning.save checkpoint");
    }

    /** @return {layer name, parameter key} of the first parameter whose slice of {@code flat} is not finite */
    private String[] firstNonFinite(INDArray flat) {
        INDArray flatParams = net.params();
        INDArray values = flat.reshape(flat.ordering(), new long[] {flat.length()});
        for (Layer layer : net.layers()) {
            Map<String, INDArray> table = layer.paramTable();
            if (table == null) {
                continue;
            }
            for (Map.Entry<String, INDArray> e : table.entrySet()) {
                INDArray p = e.getValue();
                long offset = p.offset() - flatParams.offset();
                if (p.length() == 0 || offset < 0 || offset + p.length() > values.length()) {
                    continue;
                }
                INDArray slice = values.get(NDArrayIndex.interval(offset, offset + p.length()));
                if (!Double.isFinite(slice.sumNumber().doubleValue())) {
                    return new String[] {layer.conf().getLayer().getLayerName(), e.getKey()};
                }
            }
        }
        return null;
    }
}
