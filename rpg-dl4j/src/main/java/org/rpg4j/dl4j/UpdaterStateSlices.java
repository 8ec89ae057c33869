package org.rpg4j.dl4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.AMSGradUpdater;
import org.nd4j.linalg.learning.AdaDeltaUpdater;
import org.nd4j.linalg.learning.AdaGradUpdater;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.NadamUpdater;
import org.nd4j.linalg.learning.NesterovsUpdater;
import org.nd4j.linalg.learning.NoOpUpdater;
import org.nd4j.linalg.learning.RmsPropUpdater;
import org.nd4j.linalg.learning.SgdUpdater;

/**
 * Locates, for each prunable tensor, its entries in the updater state (Adam's M and V, Nesterov's
 * V, ...) and hands them to the tensor's binding, so they can be zeroed at masked positions.
 *
 * <p>The slices are located from the tensor's own offset in the flat parameter vector and the
 * enclosing {@link UpdaterBlock}'s range, not from the block's per-parameter offsets: for
 * {@code DepthwiseConvolution2D} and {@code SeparableConvolution2D}, DL4J 1.0.0-M2.1 lists the
 * parameters in a different order ({@code W, [pW,] b}) than it stores them ({@code b, W[, pW]}), so
 * those per-parameter offsets (and the views handed to regularizations) are shifted by the bias
 * length. Every state array of a block is element-aligned with the block's flat gradient.
 *
 * <p>With a masked gradient, the updaters listed in {@link #ZERO_PRESERVING} keep zero state at
 * zero (tested for each); any other updater (AdaMax adds 1e-32 to its norm at every step) gets its
 * state masked after every step.
 */
final class UpdaterStateSlices {
    static final Set<Class<?>> ZERO_PRESERVING = Set.of(SgdUpdater.class,
            NesterovsUpdater.class, AdamUpdater.class, AMSGradUpdater.class, NadamUpdater.class, RmsPropUpdater.class,
            AdaGradUpdater.class, AdaDeltaUpdater.class, NoOpUpdater.class);

    private UpdaterStateSlices() {}

    /**
     * Gives each binding its state slices in {@code updater}.
     *
     * @throws IllegalStateException if a tensor straddles two updater blocks or a state array is not
     *     element-aligned with its block
     */
    static void locate(BaseMultiLayerUpdater<?> updater, List<TensorBinding> bindings) {
        for (TensorBinding b : bindings) {
            UpdaterBlock block = enclosingBlock(updater, b);
            long start = b.offset() - block.getParamOffsetStart();
            long blockLength = (long) block.getParamOffsetEnd() - block.getParamOffsetStart();
            List<INDArray> slices = new ArrayList<>();
            for (Map.Entry<String, INDArray> e : state(block).entrySet()) {
                INDArray s = e.getValue();
                if (s.length() != blockLength) {
                    throw new IllegalStateException("updater state '" + e.getKey() + "' of "
                            + block.getGradientUpdater().getClass().getSimpleName() + " has " + s.length()
                            + " entries for a block of " + blockLength + " parameters: rpg4j cannot mask it");
                }
                INDArray flat = s.reshape(s.ordering(), new long[] {s.length()});
                slices.add(flat.get(NDArrayIndex.interval(start, start + b.length())));
            }
            b.setStateSlices(slices, !zeroPreserving(block.getGradientUpdater()));
        }
    }

    /**
     * @return true if the updater is one of {@link #ZERO_PRESERVING} or a subclass of one (the fast layers' Java-loop
     *     updaters subclass DL4J's and compute the same formula)
     */
    static boolean zeroPreserving(Object updater) {
        return ZERO_PRESERVING.stream().anyMatch(c -> c.isInstance(updater));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, INDArray> state(UpdaterBlock block) {
        Map<String, INDArray> state = block.getGradientUpdater().getState();
        return state == null ? Map.of() : state;
    }

    private static UpdaterBlock enclosingBlock(BaseMultiLayerUpdater<?> updater, TensorBinding b) {
        for (UpdaterBlock block : updater.getUpdaterBlocks()) {
            if (block.getParamOffsetStart() <= b.offset()
                    && b.offset() + b.length() <= block.getParamOffsetEnd()) {
                return block;
            }
        }
        throw new IllegalStateException("tensor '" + b.name() + "' (flat offset " + b.offset() + ", length "
                + b.length() + ") does not lie inside one updater block; give its layer's weights and biases "
                + "the same updater");
    }
}
