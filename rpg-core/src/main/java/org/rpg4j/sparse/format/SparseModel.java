package org.rpg4j.sparse.format;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The content of a sparse model file: a network type and configuration (opaque text, e.g. DL4J's
 * JSON) and the flat parameter vector as encoded tensors that tile it exactly.
 *
 * @param networkType what the configuration describes, e.g. {@code "MultiLayerNetwork"}
 * @param configuration the network configuration
 * @param parameterCount length of the flat parameter vector
 * @param tensors the encoded tensors, in file order; their ranges cover {@code [0, parameterCount)}
 *     without gap or overlap, and their names are unique
 */
public record SparseModel(String networkType, String configuration, int parameterCount, List<EncodedTensor> tensors) {
    /**
     * @param networkType what the configuration describes
     * @param configuration the network configuration
     * @param parameterCount length of the flat parameter vector
     * @param tensors the encoded tensors (copied)
     * @throws IllegalArgumentException if a field is missing, a name repeats or the ranges do not tile the vector
     */
    public SparseModel {
        if (networkType == null || networkType.isEmpty() || configuration == null || tensors == null) {
            throw new IllegalArgumentException("networkType, configuration and tensors must be given, got networkType '"
                    + networkType + "'" + (configuration == null ? ", no configuration" : "")
                    + (tensors == null ? ", no tensors" : ""));
        }
        tensors = List.copyOf(tensors);
        checkTiling(parameterCount, tensors);
    }

    private static void checkTiling(int parameterCount, List<EncodedTensor> tensors) {
        if (parameterCount < 0) {
            throw new IllegalArgumentException("parameterCount must be >= 0, got " + parameterCount);
        }
        Set<String> names = new HashSet<>();
        List<TensorLayout> byOffset = new ArrayList<>();
        for (EncodedTensor t : tensors) {
            if (!names.add(t.layout().name())) {
                throw new IllegalArgumentException("tensor names must be unique, '" + t.layout().name() + "' repeats");
            }
            byOffset.add(t.layout());
        }
        byOffset.sort(Comparator.comparingInt(TensorLayout::offset));
        long next = 0;
        for (TensorLayout layout : byOffset) {
            if (layout.offset() != next) {
                throw new IllegalArgumentException("tensors must tile the " + parameterCount + " parameters: tensor '"
                        + layout.name() + "' starts at " + layout.offset() + ", expected " + next);
            }
            next += layout.length();
        }
        if (next != parameterCount) {
            throw new IllegalArgumentException("tensors must tile the " + parameterCount + " parameters, they cover "
                    + next);
        }
    }

    /**
     * @return the flat parameter vector, decoded (float32; float16 values widened exactly)
     * @throws IllegalArgumentException if a tensor's bytes are inconsistent (the reader checks this first)
     */
    public float[] decodeParameters() {
        float[] parameters = new float[parameterCount];
        for (EncodedTensor t : tensors) {
            t.decodeInto(parameters);
        }
        return parameters;
    }

    /** @return the stored bytes of all tensors before compression */
    public long rawTensorBytes() {
        return tensors.stream().mapToLong(EncodedTensor::rawBytes).sum();
    }
}
