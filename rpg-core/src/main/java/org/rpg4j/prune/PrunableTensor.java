package org.rpg4j.prune;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One prunable weight tensor as the adapter describes it to the {@link Pruner}.
 *
 * <p>Arrays handed to the pruner under this name have {@code shape} (in any storage order: masks
 * are applied element-wise on the logical shape). {@code outputFirstAxes} is the permutation that
 * turns the tensor into output-channels-first order, so that
 * {@code weights.permute(outputFirstAxes)} viewed as {@code [out, rest]} in C order is the matrix
 * of the rank loss: the identity for a convolution stored {@code [out, in, kh, kw]}, {@code {1, 0}}
 * for a dense weight stored {@code [nIn, nOut]}.
 *
 * @param name unique name (the adapter's layer name plus parameter key)
 * @param layerType simple class name of the owning layer, for reports and selection
 * @param kind convolution or dense: decides whether the rank loss applies
 * @param shape logical shape, every dimension {@code >= 1}
 * @param dataType data type of the weights (masks are created in it)
 * @param outputFirstAxes permutation of {@code 0..shape.length-1} to output-channels-first order
 * @param maxSparsity the layer's cap in [0, 1] (1 = uncapped)
 */
public record PrunableTensor(String name, String layerType, TensorKind kind, long[] shape, DataType dataType,
                             int[] outputFirstAxes, double maxSparsity) {
    /**
     * Validates the components and copies the arrays.
     *
     * @param name see {@link #name()}
     * @param layerType see {@link #layerType()}
     * @param kind see {@link #kind()}
     * @param shape see {@link #shape()}; copied
     * @param dataType see {@link #dataType()}
     * @param outputFirstAxes see {@link #outputFirstAxes()}; copied
     * @param maxSparsity see {@link #maxSparsity()}
     * @throws IllegalArgumentException if a component is null, the shape has rank below 2 or a dimension below 1,
     *     the data type is not floating point, the axes are not a permutation, or the cap is outside [0, 1]
     */
    public PrunableTensor {
        Checks.notNull("name", name);
        Checks.notNull("layerType", layerType);
        Checks.notNull("kind", kind);
        Checks.notNull("shape", shape);
        Checks.notNull("dataType", dataType);
        Checks.notNull("outputFirstAxes", outputFirstAxes);
        if (shape.length < 2) {
            throw new IllegalArgumentException("shape of '" + name + "' must have rank >= 2, got "
                    + Arrays.toString(shape));
        }
        for (long d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("shape of '" + name + "' must have every dimension >= 1, got "
                        + Arrays.toString(shape));
            }
        }
        if (!dataType.isFPType()) {
            throw new IllegalArgumentException("dataType of '" + name + "' must be floating point, got " + dataType);
        }
        if (!isPermutation(outputFirstAxes, shape.length)) {
            throw new IllegalArgumentException("outputFirstAxes of '" + name + "' must be a permutation of 0.."
                    + (shape.length - 1) + ", got " + Arrays.toString(outputFirstAxes));
        }
        Checks.inClosedRange("maxSparsity", maxSparsity, 0.0, 1.0);
        shape = shape.clone();
        outputFirstAxes = outputFirstAxes.clone();
    }

    /**
     * A convolution kernel stored output-channels first ({@code [out, in, kh, kw]} and the like), uncapped.
     *
     * @param name unique tensor name
     * @param layerType simple class name of the owning layer
     * @param shape logical shape, output channels first
     * @param dataType floating-point data type of the weights
     * @return the tensor description
     */
    public static PrunableTensor convolution(String name, String layerType, long[] shape, DataType dataType) {
        return new PrunableTensor(name, layerType, TensorKind.CONVOLUTION, shape, dataType, identity(shape.length),
                1.0);
    }

    /**
     * A dense weight stored {@code [nIn, nOut]} (DL4J's layout), uncapped.
     *
     * @param name unique tensor name
     * @param layerType simple class name of the owning layer
     * @param shape logical shape {@code [nIn, nOut]}
     * @param dataType floating-point data type of the weights
     * @return the tensor description
     */
    public static PrunableTensor dense(String name, String layerType, long[] shape, DataType dataType) {
        return new PrunableTensor(name, layerType, TensorKind.DENSE, shape, dataType, new int[] {1, 0}, 1.0);
    }

    /**
     * @param cap the maximum sparsity in [0, 1] (1 = uncapped)
     * @return a copy with the given cap
     */
    public PrunableTensor withMaxSparsity(double cap) {
        return new PrunableTensor(name, layerType, kind, shape, dataType, outputFirstAxes, cap);
    }

    /** @return number of weights */
    public long length() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /**
     * @return a copy of the logical shape
     */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /**
     * @return a copy of the permutation to output-channels-first order
     */
    @Override
    public int[] outputFirstAxes() {
        return outputFirstAxes.clone();
    }

    /** @return whether {@link #outputFirstAxes()} is the identity */
    public boolean isOutputFirst() {
        return Arrays.equals(outputFirstAxes, identity(shape.length));
    }

    private static int[] identity(int n) {
        int[] axes = new int[n];
        for (int i = 0; i < n; i++) {
            axes[i] = i;
        }
        return axes;
    }

    private static boolean isPermutation(int[] axes, int n) {
        if (axes.length != n) {
            return false;
        }
        boolean[] seen = new boolean[n];
        for (int a : axes) {
            if (a < 0 || a >= n || seen[a]) {
                return false;
            }
            seen[a] = true;
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PrunableTensor t && name.equals(t.name) && layerType.equals(t.layerType)
                && kind == t.kind && Arrays.equals(shape, t.shape) && dataType == t.dataType
                && Arrays.equals(outputFirstAxes, t.outputFirstAxes)
                && Double.compare(maxSparsity, t.maxSparsity) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, layerType, kind, Arrays.hashCode(shape), dataType, Arrays.hashCode(outputFirstAxes),
                maxSparsity);
    }

    @Override
    public String toString() {
        return name + " " + layerType + " " + Arrays.toString(shape) + " " + dataType;
    }
}
