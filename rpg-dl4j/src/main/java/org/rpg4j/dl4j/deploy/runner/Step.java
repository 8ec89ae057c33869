package org.rpg4j.dl4j.deploy.runner;

import java.util.List;
import org.rpg4j.sparse.kernel.PlaneLayout;

/** One node of a compiled runner: computes its output from its inputs' values. */
interface Step {

    /**
     * @param inputs the values of the step's inputs, in the layer's or vertex's input order; not modified
     * @return the step's output
     */
    Tensor run(Tensor[] inputs);

    /** @return the report of the kernel choices made so far (one per batch size seen) */
    List<LayerChoice> choices();

    /**
     * @param inputShape the shape of the step's (first) input, {@code [batch, channels, height, width]}
     * @return the layout the step reads its input in without copying, or null for plain row-major
     */
    default PlaneLayout inputLayout(long[] inputShape) {
        return null;
    }

    /**
     * @param inputShape the shape of a value the step reads, {@code [batch, channels, height, width]}
     * @return true if the step reads that value in NHWC ({@code [batch, height, width, channels]}) without a reorder
     *     (a dense convolution on oneDNN); false by default
     */
    default boolean readsChannelsLast(long[] inputShape) {
        return false;
    }

    /**
     * Tells the step that {@code reader} reads its output (the compiler calls it once per reader), so
     * that it can write the output in the layout its readers read ({@link #inputLayout}).
     *
     * @param reader a later step of the plan
     */
    default void addReader(Step reader) {
    }

    /**
     * Tells the step that its output is a network output, so it leaves the runner with a call's results: the
     * step must not write into that array again at a later call.
     */
    default void outputLeavesRunner() {
    }

    /**
     * Gives the step the runner's pool to take its output arrays from (steps that overwrite every entry
     * of their output take them; the runner hands arrays back after their last reader has run).
     *
     * @param pool the runner's pool
     */
    default void usePool(ArrayPool pool) {
    }

    /**
     * @param readers the steps reading a value
     * @param shape the value's shape
     * @return true if there are readers and every one reads the value in NHWC ({@link #readsChannelsLast})
     */
    static boolean allReadChannelsLast(List<Step> readers, long[] shape) {
        return !readers.isEmpty() && readers.stream().allMatch(reader -> reader.readsChannelsLast(shape));
    }

    /**
     * @param readers the steps reading a value
     * @param shape the value's shape
     * @return the first layout one of the readers reads without copying, or null
     */
    static PlaneLayout wantedBy(List<Step> readers, long[] shape) {
        for (Step reader : readers) {
            PlaneLayout layout = reader.inputLayout(shape);
            if (layout != null) {
                return layout;
            }
        }
        return null;
    }
}
