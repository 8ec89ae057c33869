package org.rpg4j.dl4j;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.RankStep;

/**
 * One prunable tensor located in the network's flat parameter vector: its weights (a view), the
 * matching slice of the flat gradient (which holds the gradient before the updater and the update
 * after it), a buffer for the captured dense gradient, and its mask flattened in the parameter's
 * storage order. All arrays are created outside workspaces.
 */
final class TensorBinding {
    private final PrunableTensor tensor;
    private final String layerName;
    private final INDArray weights;
    private final char order;
    private final long offset;
    private final long length;
    private final INDArray captured;
    private final INDArray capturedFlat;
    private final INDArray flatWeights;
    private INDArray flatGradient;
    private INDArray rankScratch;
    private INDArray gradient;
    private INDArray flatMask;
    private INDArray flatPruned;
    private boolean allKept = true;
    private List<INDArray> stateSlices = List.of();
    private boolean stateNeedsMaskEveryStep;

    private TensorBinding(PrunableTensor tensor, String layerName, INDArray weights, long offset) {
        this.tensor = tensor;
        this.layerName = layerName;
        this.weights = weights;
        this.order = weights.ordering();
        this.offset = offset;
        this.length = weights.length();
        this.captured = Nd4j.createUninitializedDetached(weights.dataType(), order, weights.shape());
        this.capturedFlat = captured.reshape(order, new long[] {length});
        this.flatWeights = weights.reshape(order, new long[] {length});
    }

    /**
     * @param tensor the tensor's description
     * @param layerName the owning layer's name
     * @param weights the parameter view from the layer's parameter table (any storage order, contiguous)
     * @param flatParams the network's flat parameter vector
     * @return the binding
     * @throws IllegalStateException if the parameter is not a contiguous slice of {@code flatParams}
     */
    static TensorBinding locate(PrunableTensor tensor, String layerName, INDArray weights, INDArray flatParams) {
        if (base(weights.data()) != base(flatParams.data())) {
            throw new IllegalStateException("parameter '" + tensor.name() + "' is not a view of the network's flat "
                    + "parameter vector");
        }
        if (!isContiguous(weights)) {
            throw new IllegalStateException("parameter '" + tensor.name() + "' is not contiguous (strides "
                    + java.util.Arrays.toString(weights.stride()) + ", order " + weights.ordering() + ")");
        }
        long offset = weights.offset() - flatParams.offset();
        if (offset < 0 || offset + weights.length() > flatParams.length()) {
            throw new IllegalStateException("parameter '" + tensor.name() + "' lies outside the flat parameter "
                    + "vector (offset " + offset + ", length " + weights.length() + ")");
        }
        return new TensorBinding(tensor, layerName, weights, offset);
    }

    /** Contiguous in its own order: default strides on every axis longer than 1 (size-1 axes may have any stride). */
    private static boolean isContiguous(INDArray a) {
        long[] shape = a.shape();
        long[] strides = a.stride();
        long[] expected = Nd4j.getStrides(shape, a.ordering());
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] > 1 && strides[i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** @return the buffer a view's buffer was cut from (itself if it is not a view) */
    static DataBuffer base(DataBuffer buffer) {
        DataBuffer original = buffer.originalDataBuffer();
        return original == null ? buffer : original;
    }

    /** Points the gradient views at the network's flat gradient array (shape [1, n] or [n]). */
    void bindGradients(INDArray flatGradients) {
        INDArray flat = flatGradients.reshape(flatGradients.ordering(), new long[] {flatGradients.length()});
        flatGradient = flat.get(NDArrayIndex.interval(offset, offset + length));
        gradient = flatGradient.reshape(order, weights.shape());
    }

    /**
     * Copies the current gradient (dense, unmasked, the sum over the minibatch) divided by the
     * minibatch size into the capture buffer: the batch-mean gradient, whatever DL4J's
     * {@code miniBatch} setting (the same division DL4J's updater makes).
     *
     * @param batchSize examples in the minibatch, {@code >= 1}
     */
    void capture(long batchSize) {
        capturedFlat.assign(flatGradient).divi(batchSize);
    }

    /**
     * Adds {@code scale} times this tensor's rank gradient from {@code step} to the gradient.
     *
     * @param step the iteration's rank step
     * @param scale the factor between the gradient's scale and the batch mean (the minibatch size
     *     before DL4J divides by it)
     */
    void addRankGradient(RankStep step, double scale) {
        if (rankScratch == null) {
            rankScratch = Nd4j.createUninitializedDetached(weights.dataType(), order, weights.shape());
        }
        rankScratch.assign(0);
        step.addGradientInPlace(name(), rankScratch);
        gradient.addi(rankScratch.muli(scale));
    }

    /**
     * @return how many pruned weights are non-zero (changed from outside rpg4j); uses the capture
     *     buffer as scratch, so call it before {@link #capture}
     */
    long prunedNonZero() {
        if (allKept) {
            return 0;
        }
        INDArray pruned = flatWeights.mul(flatPruned, capturedFlat);
        if (pruned.amaxNumber().doubleValue() == 0.0) {
            return 0;
        }
        long count = 0;
        for (double v : pruned.toDoubleVector()) {
            count += v != 0.0 ? 1 : 0;
        }
        return count;
    }

    /** Multiplies the gradient (or update) slice by the mask; nothing to do while every weight is kept. */
    void maskGradient() {
        if (!allKept) {
            flatGradient.muli(flatMask);
        }
    }

    /**
     * @param slices views of this tensor's entries in each updater state array, in storage order
     * @param everyStep whether the updater can make zero state non-zero at a zero gradient (AdaMax
     *     adds 1e-32 to its infinity norm), so the state must be masked after every step
     */
    void setStateSlices(List<INDArray> slices, boolean everyStep) {
        this.stateSlices = List.copyOf(slices);
        this.stateNeedsMaskEveryStep = everyStep;
    }

    /** Multiplies the weights by the mask (pruned weights become exactly 0); nothing to do while every weight is kept. */
    void maskWeights() {
        if (!allKept) {
            flatWeights.muli(flatMask);
        }
    }

    /** Multiplies every updater state slice by the mask. */
    void maskState() {
        if (!allKept) {
            for (INDArray s : stateSlices) {
                s.muli(flatMask);
            }
        }
    }

    /** After the updater ran: masks the update, and the state if the updater needs it. */
    void maskUpdate() {
        maskGradient();
        if (stateNeedsMaskEveryStep) {
            maskState();
        }
    }

    /** @return the updater state slices (views) */
    List<INDArray> stateSlices() {
        return stateSlices;
    }

    /**
     * @param mask the tensor's mask, logical shape, C order (1 kept, 0 pruned); copied into the
     *     parameter's storage order
     */
    void setMask(INDArray mask) {
        flatMask = mask.castTo(weights.dataType()).dup(order).reshape(order, new long[] {length});
        allKept = flatMask.minNumber().doubleValue() > 0;
        flatPruned = flatMask.rsub(1.0);
    }

    PrunableTensor tensor() {
        return tensor;
    }

    String name() {
        return tensor.name();
    }

    String layerName() {
        return layerName;
    }

    /** @return the parameter key in the layer's parameter table (the part of the name after the layer) */
    String paramKey() {
        return tensor.name().substring(layerName.length() + 1);
    }

    /** @return the weights, a view of the logical shape; modifying it modifies the network */
    INDArray weights() {
        return weights;
    }

    /** @return the gradient slice as a view of the logical shape */
    INDArray gradient() {
        return gradient;
    }

    /** @return the captured dense gradient, logical shape (valid after {@link #capture(long)}) */
    INDArray captured() {
        return captured;
    }

    /** @return the mask flattened in storage order (null before {@link #setMask}) */
    INDArray flatMask() {
        return flatMask;
    }

    boolean allKept() {
        return allKept;
    }

    /** @return offset of the first weight in the flat parameter vector */
    long offset() {
        return offset;
    }

    long length() {
        return length;
    }
}
