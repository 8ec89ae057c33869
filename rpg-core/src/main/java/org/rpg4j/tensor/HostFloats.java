package org.rpg4j.tensor;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The storage of a float array on ND4J's CPU backend as a {@link FloatBuffer} over its host
 * memory, and the map from a logical C-order flat index to a storage index. Only for arrays that
 * {@link HostAccess#hostPointer(INDArray)} accepts; callers keep the array reachable while they
 * use the buffer (the buffer does not own the memory).
 *
 * <p>The array's address pointer already points at its first element (a view's offset is applied),
 * so the storage index of logical position {@code (i0, i1, ...)} is {@code sum(ik * stride[k])}.
 */
final class HostFloats {
    /** Longest storage a buffer can span: {@link java.nio.ByteBuffer} capacities are ints. */
    private static final long MAX_SPAN = Integer.MAX_VALUE / Float.BYTES;

    private final FloatBuffer buffer;
    private final long[] shape;
    private final long[] stride;
    private final boolean cContiguous;

    private HostFloats(FloatBuffer buffer, long[] shape, long[] stride, boolean cContiguous) {
        this.buffer = buffer;
        this.shape = shape;
        this.stride = stride;
        this.cContiguous = cContiguous;
    }

    /**
     * @param array a float array for which {@link HostAccess#hostPointer(INDArray)} is true
     * @return its storage as a buffer, or null if its layout is not supported here (negative
     *     strides, or more than {@value #MAX_SPAN} elements spanned): the caller takes the generic route
     */
    static HostFloats of(INDArray array) {
        if (array.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("array must be FLOAT, got " + array.dataType());
        }
        long[] shape = array.shape();
        long[] stride = array.stride();
        long span = 1;
        for (int d = 0; d < shape.length; d++) {
            if (stride[d] < 0) {
                return null;
            }
            span += (shape[d] - 1) * stride[d];
        }
        if (span > MAX_SPAN) {
            return null;
        }
        FloatPointer pointer = new FloatPointer(array.data().addressPointer());
        pointer.position(0).capacity(span).limit(span);
        return new HostFloats(pointer.asBuffer(), shape, stride, HostAccess.isCContiguous(shape, stride));
    }

    /** @return true if the logical C-order flat index equals the storage index */
    boolean cContiguous() {
        return cContiguous;
    }

    /** @return the buffer, position 0, element 0 at the array's first element */
    FloatBuffer buffer() {
        return buffer;
    }

    /** @return the storage index of logical C-order flat index {@code flat} */
    int storageIndex(long flat) {
        if (cContiguous) {
            return (int) flat;
        }
        long rest = flat;
        long position = 0;
        for (int d = shape.length - 1; d >= 0; d--) {
            position += (rest % shape[d]) * stride[d];
            rest /= shape[d];
        }
        return (int) position;
    }
}
