package org.rpg4j.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the driver ships to the executors with one averaging round: the round number, the masks of
 * every pruned tensor (decided on the driver) and whether to capture the dense gradient. Immutable.
 *
 * <p>Masks are explicit: RPG regrows weights at exactly 0.0, so a weight of zero does not mean pruned.
 */
public final class RoundPlan implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long round;
    private final long firstIteration;
    private final LinkedHashMap<String, float[]> masks;
    private final LinkedHashMap<String, long[]> shapes;
    private final ScoreCapture capture;
    private final ExecutorPruner rankPruner;

    /**
     * @param round the 0-based averaging round this plan is for
     * @param firstIteration the pruning iteration of the round's first minibatch on each worker
     * @param masks per tensor (its parameter-table key, e.g. {@code "0_W"}): 1 kept, 0 pruned, logical
     *     shape flattened in C order; copied
     * @param shapes per tensor: the logical shape; copied
     * @param capture whether the executors capture the dense gradient this round
     * @param rankPruner the driver's pruner for the rank-loss gradient, or null when the rank loss is off
     * @throws IllegalArgumentException if the round is negative, an argument is null, or a mask does
     *     not match its shape
     */
    RoundPlan(long round, long firstIteration, Map<String, float[]> masks, Map<String, long[]> shapes,
              ScoreCapture capture, ExecutorPruner rankPruner) {
        if (round < 0) {
            throw new IllegalArgumentException("round must be >= 0, got " + round);
        }
        if (masks == null || shapes == null || capture == null) {
            throw new IllegalArgumentException("masks, shapes and capture must not be null");
        }
        this.round = round;
        this.firstIteration = firstIteration;
        this.rankPruner = rankPruner;
        this.masks = new LinkedHashMap<>();
        this.shapes = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : masks.entrySet()) {
            long[] shape = shapes.get(e.getKey());
            long length = shape == null ? -1 : Arrays.stream(shape).reduce(1, Math::multiplyExact);
            if (length != e.getValue().length) {
                throw new IllegalArgumentException("mask of tensor '" + e.getKey() + "' has " + e.getValue().length
                        + " entries, its shape " + Arrays.toString(shape) + " needs " + length);
            }
            this.masks.put(e.getKey(), e.getValue().clone());
            this.shapes.put(e.getKey(), shape.clone());
        }
        this.capture = capture;
    }

    /** @return the 0-based averaging round */
    public long round() {
        return round;
    }

    /** @return the pruning iteration of the round's first minibatch on each worker */
    public long firstIteration() {
        return firstIteration;
    }

    /** @return the driver's pruner for the rank-loss gradient, or null when the rank loss is off */
    ExecutorPruner rankPruner() {
        return rankPruner;
    }

    /** @return the pruned tensors' parameter-table keys, in the driver's order */
    public List<String> tensorNames() {
        return List.copyOf(masks.keySet());
    }

    /**
     * @param name a name from {@link #tensorNames()}
     * @return a copy of the tensor's mask, logical shape flattened in C order
     * @throws IllegalArgumentException if no tensor has that name
     */
    public float[] mask(String name) {
        return require(masks, name).clone();
    }

    /**
     * @param name a name from {@link #tensorNames()}
     * @return a copy of the tensor's logical shape
     * @throws IllegalArgumentException if no tensor has that name
     */
    public long[] shape(String name) {
        return require(shapes, name).clone();
    }

    /** @return whether the executors capture the dense gradient this round */
    public ScoreCapture capture() {
        return capture;
    }

    /** @return the shapes by name (read-only) */
    Map<String, long[]> shapes() {
        return Collections.unmodifiableMap(shapes);
    }

    private static <T> T require(Map<String, T> map, String name) {
        T value = map.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no pruned tensor named '" + name + "'; tensors: " + map.keySet());
        }
        return value;
    }
}
