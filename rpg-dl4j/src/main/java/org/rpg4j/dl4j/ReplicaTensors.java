package org.rpg4j.dl4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.Pruner;
import org.rpg4j.prune.RankStep;

/**
 * The prunable tensors of one network replica, driven by a distributed training engine rather than
 * by rpg4j's own hooks: views of the replica's weights, of its flat gradient and of its updater
 * state for every tensor of a {@link Pruner}, plus a capture buffer for the dense gradient. The
 * masks are the pruner's (one set shared by every replica); the views follow DL4J when it replaces
 * its gradient array or updater. No rpg4j hook is installed in the replica's configuration.
 *
 * <p>Used from two listener callbacks of the replica's own training thread:
 * {@link #beforeUpdater} in {@code onGradientCalculation} and {@link #afterStep} in
 * {@code iterationDone}. Not thread-safe: one instance per replica, used by one thread at a time.
 */
public final class ReplicaTensors {
    private final NetworkAdapter net;
    private final List<TensorBinding> bindings;
    private final NetworkViews views;
    private final Pruner pruner;
    private final Map<String, INDArray> weights = new LinkedHashMap<>();
    private final Map<String, INDArray> captured = new LinkedHashMap<>();

    private ReplicaTensors(NetworkAdapter net, Pruner pruner, List<TensorBinding> bindings) {
        this.net = net;
        this.bindings = bindings;
        this.pruner = pruner;
        this.views = new NetworkViews(net, pruner, bindings);
        for (TensorBinding b : bindings) {
            weights.put(b.name(), b.weights());
            captured.put(b.name(), b.captured());
        }
    }

    /**
     * Locates every tensor of {@code pruner} in {@code replica} (by layer name and parameter key),
     * creates the replica's updater if it has none, and masks its weights and updater state with the
     * pruner's current masks. The replica's weights and updater state are modified.
     *
     * @param replica an initialised {@code MultiLayerNetwork} or {@code ComputationGraph} with the
     *     architecture the pruner was created for (typically a copy built from the same configuration JSON)
     * @param pruner the run's pruner; its masks are read, never changed
     * @return the replica's tensors
     * @throws IllegalArgumentException if an argument is null or the replica is of another type
     * @throws IllegalStateException if the replica is not initialised or lacks a tensor's layer or parameter
     */
    public static ReplicaTensors bind(Model replica, Pruner pruner) {
        if (pruner == null) {
            throw new IllegalArgumentException("pruner must not be null");
        }
        NetworkAdapter net = NetworkAdapter.of(replica);
        INDArray flat = net.params();
        List<TensorBinding> bindings = new ArrayList<>();
        for (PrunableTensor t : pruner.tensors()) {
            int cut = t.name().lastIndexOf('/');
            String layerName = t.name().substring(0, cut);
            String key = t.name().substring(cut + 1);
            INDArray w = layer(net, layerName).getParam(key);
            if (w == null) {
                throw new IllegalStateException("the replica's layer '" + layerName + "' has no parameter '" + key
                        + "': it is not a copy of the network the pruning run was attached to");
            }
            bindings.add(TensorBinding.locate(t, layerName, w, flat));
        }
        net.updater(true);
        ReplicaTensors replicaTensors = new ReplicaTensors(net, pruner, bindings);
        replicaTensors.views.sync();
        replicaTensors.maskWeightsAndState();
        return replicaTensors;
    }

    private static org.deeplearning4j.nn.api.Layer layer(NetworkAdapter net, String layerName) {
        for (org.deeplearning4j.nn.api.Layer l : net.layers()) {
            if (layerName.equals(l.conf().getLayer().getLayerName())) {
                return l;
            }
        }
        throw new IllegalStateException("the replica has no layer '" + layerName
                + "': it is not a copy of the network the pruning run was attached to");
    }

    /**
     * Gradient work of one iteration, after backprop and before DL4J's updater (the gradient is
     * still the sum over the minibatch): optionally copies the dense batch-mean gradient into the
     * capture buffer, optionally adds the rank gradient, then multiplies the gradient by the masks.
     * Refreshes the views and masks first (a new mask reaches the replica here at the latest).
     *
     * @param capture whether to capture the dense gradient (an update iteration)
     * @param rank the rank step to add (scaled to the gradient's sum-over-batch scale), or null for none
     */
    public void beforeUpdater(boolean capture, RankStep rank) {
        views.sync();
        long batch = net.batchSize();
        if (capture) {
            bindings.forEach(b -> b.capture(batch));
        }
        if (rank != null) {
            for (TensorBinding b : bindings) {
                b.addRankGradient(rank, batch);
            }
        }
        bindings.forEach(TensorBinding::maskGradient);
    }

    /**
     * After DL4J's step: multiplies the weights by the masks (pruned weights exactly 0.0) and, for
     * an updater that can revive zero state, the updater state.
     */
    public void afterStep() {
        for (TensorBinding b : bindings) {
            b.maskUpdate();
            b.maskWeights();
        }
    }

    /**
     * Refreshes the masks from the pruner and multiplies the weights and every updater state slice
     * by them (the push of new masks to a replica, done between iterations). Modifies the replica.
     */
    public void maskWeightsAndState() {
        views.sync();
        for (TensorBinding b : bindings) {
            b.maskWeights();
            b.maskState();
        }
    }

    /**
     * Multiplies a vector laid out like the replica's flat parameters by the pruner's current masks:
     * its entries at pruned positions become exactly 0.0, the others are unchanged. Meant for the
     * residual that DL4J's threshold encoder keeps per worker in gradient-sharing training (the
     * part of each update not yet sent), so that no pruned position is ever encoded and sent.
     *
     * @param flat a vector with one entry per parameter of the replica, shape {@code [n]} or
     *     {@code [1, n]}, contiguous; modified
     * @throws IllegalArgumentException if {@code flat} is null or its length is not the replica's
     *     parameter count
     */
    public void maskFlatInPlace(INDArray flat) {
        INDArray vector = flatVector(flat);
        views.syncMasks();
        for (TensorBinding b : bindings) {
            if (!b.allKept()) {
                slice(vector, b).muli(maskIn(b, vector));
            }
        }
    }

    /**
     * Counts the entries of a vector laid out like the replica's flat parameters that are non-zero
     * where the pruner's current mask prunes (allocates; meant for checks and tests).
     *
     * @param flat a vector with one entry per parameter of the replica, shape {@code [n]} or
     *     {@code [1, n]}; not modified
     * @return the number of non-zero entries at pruned positions, over all tensors
     * @throws IllegalArgumentException if {@code flat} is null or of another length
     */
    public long prunedNonZeroIn(INDArray flat) {
        INDArray vector = flatVector(flat);
        views.syncMasks();
        long count = 0;
        for (TensorBinding b : bindings) {
            if (!b.allKept()) {
                INDArray pruned = maskIn(b, vector).rsub(1.0);
                INDArray leaked = slice(vector, b).mul(pruned).neq(0.0);
                count += leaked.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).sumNumber().longValue();
            }
        }
        return count;
    }

    /**
     * Counts the updater-state entries (every state array of the updater: Adam's two moments,
     * momentum, ...) that are non-zero where the pruner's current mask prunes (allocates; meant for
     * checks and tests).
     *
     * @return the number of such entries, over all tensors and state arrays
     */
    public long prunedNonZeroState() {
        views.syncMasks();
        long count = 0;
        for (TensorBinding b : bindings) {
            if (!b.allKept()) {
                for (INDArray slice : b.stateSlices()) {
                    INDArray pruned = b.flatMask().castTo(slice.dataType()).rsub(1.0).reshape(slice.shape());
                    INDArray leaked = slice.mul(pruned).neq(0.0);
                    count += leaked.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).sumNumber().longValue();
                }
            }
        }
        return count;
    }

    private INDArray flatVector(INDArray flat) {
        if (flat == null) {
            throw new IllegalArgumentException("flat must not be null");
        }
        long n = net.params().length();
        if (flat.length() != n) {
            throw new IllegalArgumentException("flat must have one entry per parameter (" + n + "), got length "
                    + flat.length());
        }
        return flat.reshape(flat.ordering(), new long[] {n});
    }

    private static INDArray slice(INDArray vector, TensorBinding b) {
        return vector.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(b.offset(), b.offset() + b.length()));
    }

    private static INDArray maskIn(TensorBinding b, INDArray vector) {
        INDArray mask = b.flatMask();
        return mask.dataType() == vector.dataType() ? mask : mask.castTo(vector.dataType());
    }

    /**
     * @return tensor name to the dense batch-mean gradient captured by the last
     *     {@code beforeUpdater(true, ...)}, logical shapes; views into buffers the next capture overwrites
     */
    public Map<String, INDArray> captured() {
        return Collections.unmodifiableMap(captured);
    }

    /** @return tensor name to the replica's weights (views; modifying them modifies the replica) */
    public Map<String, INDArray> weights() {
        return Collections.unmodifiableMap(weights);
    }

    /**
     * Counts the weights that are non-zero where the pruner's current mask prunes them (allocates;
     * meant for checks and tests, not for every iteration).
     *
     * @return tensor name to that count (all 0 when the masks are enforced)
     */
    public Map<String, Long> prunedNonZero() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (TensorBinding b : bindings) {
            INDArray pruned = pruner.mask(b.name()).castTo(b.weights().dataType()).rsub(1.0);
            INDArray leaked = b.weights().mul(pruned).neq(0.0);
            counts.put(b.name(), leaked.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).sumNumber().longValue());
        }
        return counts;
    }

    /** @return the replica network */
    public Model model() {
        return net.model();
    }
}
