package org.rpg4j.dl4j;

import java.util.Arrays;
import java.util.Objects;
import org.rpg4j.prune.TensorKind;

/**
 * Where a layer keeps one prunable weight and how it is laid out: the parameter key, the kind
 * (a convolution gets the rank loss, a dense weight by default not) and the permutation that turns
 * the stored tensor into output-channels-first order (the rank-loss matrix is the permuted tensor
 * viewed as {@code [out, rest]} in C order).
 *
 * <p>Examples: {@code [out, in, kh, kw]} (DL4J {@code ConvolutionLayer}) is
 * {@code of("W", CONVOLUTION, 0, 1, 2, 3)}; {@code [kh, kw, in, out]} is
 * {@code of("W", CONVOLUTION, 3, 2, 0, 1)}; a dense {@code [nIn, nOut]} is
 * {@code of("W", DENSE, 1, 0)}.
 *
 * @param paramKey the parameter key in the layer's parameter table, e.g. {@code "W"}
 * @param kind convolution or dense
 * @param outputFirstAxes permutation of {@code 0..rank-1}; its length is the rank the parameter must have
 * @param checksOutputChannels when true and the layer configuration is a {@code FeedForwardLayer},
 *     the axis {@code outputFirstAxes[0]} must have {@code nOut} entries, which catches a layer
 *     that inherits a registration whose layout it does not share
 */
public record WeightSpec(String paramKey, TensorKind kind, int[] outputFirstAxes, boolean checksOutputChannels) {
    /**
     * @param paramKey see {@link #paramKey()}
     * @param kind see {@link #kind()}
     * @param outputFirstAxes see {@link #outputFirstAxes()}; copied
     * @param checksOutputChannels see {@link #checksOutputChannels()}
     * @throws IllegalArgumentException if the key is empty, the kind null, or the axes not a
     *     permutation of {@code 0..n-1} with {@code n >= 2}
     */
    public WeightSpec {
        if (paramKey == null || paramKey.isEmpty()) {
            throw new IllegalArgumentException("paramKey must be a non-empty parameter key, got '" + paramKey + "'");
        }
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        if (outputFirstAxes == null || outputFirstAxes.length < 2 || !isPermutation(outputFirstAxes)) {
            throw new IllegalArgumentException("outputFirstAxes must be a permutation of 0..n-1 with n >= 2, got "
                    + Arrays.toString(outputFirstAxes));
        }
        outputFirstAxes = outputFirstAxes.clone();
    }

    /**
     * @param paramKey the parameter key in the layer's parameter table
     * @param kind convolution or dense
     * @param outputFirstAxes permutation of {@code 0..rank-1} to output-channels-first order
     * @return a spec with these axes that checks the output-channel count
     */
    public static WeightSpec of(String paramKey, TensorKind kind, int... outputFirstAxes) {
        return new WeightSpec(paramKey, kind, outputFirstAxes, true);
    }

    /** @return a copy that does not compare the output axis with the layer's {@code nOut} */
    public WeightSpec withoutOutputChannelCheck() {
        return new WeightSpec(paramKey, kind, outputFirstAxes, false);
    }

    /** @return the rank the parameter must have */
    public int rank() {
        return outputFirstAxes.length;
    }

    /**
     * @return a copy of the permutation to output-channels-first order
     */
    @Override
    public int[] outputFirstAxes() {
        return outputFirstAxes.clone();
    }

    private static boolean isPermutation(int[] axes) {
        boolean[] seen = new boolean[axes.length];
        for (int a : axes) {
            if (a < 0 || a >= axes.length || seen[a]) {
                return false;
            }
            seen[a] = true;
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightSpec s && paramKey.equals(s.paramKey) && kind == s.kind
                && Arrays.equals(outputFirstAxes, s.outputFirstAxes) && checksOutputChannels == s.checksOutputChannels;
    }

    @Override
    public int hashCode() {
        return Objects.hash(paramKey, kind, Arrays.hashCode(outputFirstAxes), checksOutputChannels);
    }

    @Override
    public String toString() {
        return paramKey + " " + kind + " outputFirstAxes=" + Arrays.toString(outputFirstAxes);
    }
}
