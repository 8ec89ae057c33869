package org.rpg4j.dl4j;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.dl4j.hooks.LayerHooks;

/**
 * The hook target of one pruned layer. DL4J calls each hook once per weight parameter of the layer
 * (twice for {@code SeparableConvolution2D}), so the first-regularization work runs once per
 * iteration; masking is idempotent and simply repeats.
 */
final class BoundLayer implements LayerHooks {
    private final PruningRuntime runtime;
    private final List<TensorBinding> tensors;
    private int lastIteration = Integer.MIN_VALUE;

    BoundLayer(PruningRuntime runtime, List<TensorBinding> tensors) {
        this.runtime = runtime;
        this.tensors = List.copyOf(tensors);
    }

    @Override
    public void beforeRegularizations(int iteration, INDArray param) {
        runtime.checkOwnParameters(param, tensors.get(0).layerName());
        if (lastIteration != iteration) {
            lastIteration = iteration;
            runtime.beforeRegularizations(iteration);
        }
    }

    @Override
    public Object network() {
        return runtime.model();
    }

    @Override
    public void maskGradients() {
        for (TensorBinding t : tensors) {
            t.maskGradient();
        }
    }

    @Override
    public void maskUpdates() {
        for (TensorBinding t : tensors) {
            t.maskUpdate();
        }
    }
}
