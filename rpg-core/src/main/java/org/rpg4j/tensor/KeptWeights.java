package org.rpg4j.tensor;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Applies a topology update's kept-weight mask to the weights: {@code weights *= keep} (1 where
 * kept, 0 elsewhere), so a pruned weight becomes {@code w * 0.0} (a zero with the weight's sign)
 * and a kept one is unchanged.
 *
 * <p>On ND4J's CPU backend ({@link HostAccess#hostPointer(INDArray)}) a float tensor is changed
 * only where it must be: at the positions that are not kept and hold a non-zero value, found from
 * the values the update read, written through the host pointer. After the first updates most
 * pruned weights are already 0, so this touches the dropped positions (a few percent) instead of
 * building a full mask array and multiplying. Elsewhere the full mask multiplies the weights; both
 * routes give the same bits.
 */
public final class KeptWeights {
    /** Positions gathered per step before they are written. */
    private static final int CHUNK = 1 << 14;

    private KeptWeights() {
    }

    /**
     * @param weights the tensor, any shape, storage order or view; modified in place
     * @param values its current values as floats, C-order logical flattening (from {@link
     *     MaskArrays#values}); not modified
     * @param keep true where the weight is kept, same C-order flattening; not modified
     * @throws IllegalArgumentException if an argument is null or the lengths differ from {@code weights.length()}
     */
    public static void applyInPlace(INDArray weights, float[] values, boolean[] keep) {
        if (weights == null || values == null || keep == null) {
            throw new IllegalArgumentException("weights, values and keep must not be null, got weights=" + weights
                    + ", values=" + (values == null ? null : "float[" + values.length + "]") + ", keep="
                    + (keep == null ? null : "boolean[" + keep.length + "]"));
        }
        if (values.length != weights.length() || keep.length != weights.length()) {
            throw new IllegalArgumentException("values and keep must have weights.length() = " + weights.length()
                    + " entries, got " + values.length + " and " + keep.length);
        }
        HostFloats host = HostAccess.hostPointer(weights) && weights.dataType() == DataType.FLOAT
                ? HostFloats.of(weights) : null;
        if (host == null) {
            weights.muli(MaskArrays.toMaskArray(keep, weights.shape(), weights.dataType()));
            return;
        }
        zeroDropped(host, values, keep);
        Reference.reachabilityFence(weights);
    }

    /** Writes {@code w * 0.0} where {@code !keep} and {@code w != 0}: the only positions the multiply changes. */
    private static void zeroDropped(HostFloats host, float[] values, boolean[] keep) {
        FloatBuffer buffer = host.buffer();
        int[] positions = new int[Math.min(CHUNK, values.length)];
        for (int from = 0; from < values.length; from += CHUNK) {
            int to = Math.min(values.length, from + CHUNK);
            int found = 0;
            for (int i = from; i < to; i++) {
                // branch-free gathering (drops are unpredictable): always store, advance when it counts
                positions[found] = i;
                int nonZero = (Float.floatToRawIntBits(values[i]) & 0x7fffffff) != 0 ? 1 : 0;
                found += nonZero & (keep[i] ? 0 : 1);
            }
            for (int j = 0; j < found; j++) {
                int i = positions[j];
                // w * 0.0f is a zero with the sign of w
                buffer.put(host.storageIndex(i), Float.intBitsToFloat(Float.floatToRawIntBits(values[i]) & 0x80000000));
            }
        }
    }
}
