package org.rpg4j.sparse.format;

import java.util.Arrays;
import java.util.Objects;

/**
 * Where one tensor lies in a network's flat parameter vector: its values are the {@code length}
 * consecutive entries from {@code offset}, which are the tensor of {@code shape} in storage
 * {@code order} ('c' row-major, 'f' column-major).
 *
 * @param name the tensor's name, unique in a file (e.g. DL4J's parameter key {@code "0_W"})
 * @param shape the tensor's shape, each axis {@code >= 0}
 * @param order 'c' or 'f'
 * @param offset index of the first entry in the flat parameter vector, {@code >= 0}
 */
public record TensorLayout(String name, long[] shape, char order, int offset) {
    /**
     * @param name the tensor's name
     * @param shape the tensor's shape (copied)
     * @param order 'c' or 'f'
     * @param offset index of the first entry in the flat parameter vector
     * @throws IllegalArgumentException naming the field if a value is outside what the javadoc allows
     */
    public TensorLayout {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("name must be a non-empty tensor name, got '" + name + "'");
        }
        if (shape == null) {
            throw new IllegalArgumentException("shape of tensor '" + name + "' must not be null");
        }
        shape = shape.clone();
        long length = 1;
        for (long axis : shape) {
            if (axis < 0) {
                throw new IllegalArgumentException("shape of tensor '" + name + "' must have axes >= 0, got "
                        + Arrays.toString(shape));
            }
            length *= axis;
            if (length > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tensor '" + name + "' must hold at most " + Integer.MAX_VALUE
                        + " entries, got shape " + Arrays.toString(shape));
            }
        }
        if (order != 'c' && order != 'f') {
            throw new IllegalArgumentException("order of tensor '" + name + "' must be 'c' or 'f', got '" + order
                    + "'");
        }
        if (offset < 0 || offset + length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("offset of tensor '" + name + "' must be in [0, "
                    + (Integer.MAX_VALUE - length) + "], got " + offset);
        }
    }

    /** @return the number of entries, the product of the shape */
    public int length() {
        long length = 1;
        for (long axis : shape) {
            length *= axis;
        }
        return (int) length;
    }

    /** @return a copy of the shape */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorLayout t && name.equals(t.name) && Arrays.equals(shape, t.shape)
                && order == t.order && offset == t.offset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), order, offset);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + " order " + order + " at " + offset;
    }
}
