package org.rpg4j.prune;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.tensor.MaskArrays;

/**
 * The pruner's tensors in global order, and the adapter from the caller's name-to-array maps to
 * arrays in that order (each array checked once for presence and shape).
 */
final class TensorList {
    private final List<PrunableTensor> tensors;
    private final Map<String, Integer> indexByName;

    private TensorList(List<PrunableTensor> tensors) {
        this.tensors = tensors;
        this.indexByName = new HashMap<>();
        for (int i = 0; i < tensors.size(); i++) {
            if (indexByName.put(tensors.get(i).name(), i) != null) {
                throw new IllegalArgumentException("tensors must have unique names, '" + tensors.get(i).name()
                        + "' appears twice");
            }
        }
    }

    /**
     * @param tensors the prunable tensors, in the order of the global concatenation
     * @return the list (copied)
     * @throws IllegalArgumentException if the list is null or empty, or two tensors share a name
     */
    static TensorList of(List<PrunableTensor> tensors) {
        Checks.notNull("tensors", tensors);
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("tensors must not be empty: select at least one prunable layer");
        }
        return new TensorList(List.copyOf(tensors));
    }

    List<PrunableTensor> list() {
        return tensors;
    }

    int size() {
        return tensors.size();
    }

    PrunableTensor get(int index) {
        return tensors.get(index);
    }

    /** @throws IllegalArgumentException if no tensor has this name */
    int index(String name) {
        Integer i = indexByName.get(name);
        if (i == null) {
            throw new IllegalArgumentException("name must be a prunable tensor, got '" + name + "'");
        }
        return i;
    }

    /**
     * @param what the caller's name of the map, for messages ({@code weights}, {@code denseGradients})
     * @param byName tensor name to array of the tensor's logical shape
     * @return the arrays in tensor order (the same objects, not copies)
     * @throws IllegalArgumentException if the map is null, lacks a tensor, or an array has another shape
     */
    INDArray[] inOrder(String what, Map<String, INDArray> byName) {
        Checks.notNull(what, byName);
        INDArray[] result = new INDArray[tensors.size()];
        for (int i = 0; i < result.length; i++) {
            PrunableTensor t = tensors.get(i);
            INDArray a = byName.get(t.name());
            if (a == null) {
                throw new IllegalArgumentException(what + " must contain tensor '" + t.name() + "', it does not");
            }
            if (!Arrays.equals(a.shape(), t.shape())) {
                throw new IllegalArgumentException(what + " of '" + t.name() + "' must have shape "
                        + Arrays.toString(t.shape()) + ", got " + Arrays.toString(a.shape()));
            }
            result[i] = a;
        }
        return result;
    }

    /** @return each array's values, flat in C order of its logical shape (fresh copies) */
    static float[][] values(INDArray[] arrays) {
        float[][] v = new float[arrays.length][];
        for (int i = 0; i < arrays.length; i++) {
            v[i] = MaskArrays.values(arrays[i]);
        }
        return v;
    }

    long[][] shapes() {
        long[][] s = new long[tensors.size()][];
        for (int i = 0; i < s.length; i++) {
            s[i] = tensors.get(i).shape();
        }
        return s;
    }

    double[] caps() {
        return tensors.stream().mapToDouble(PrunableTensor::maxSparsity).toArray();
    }

    long totalWeights() {
        return tensors.stream().mapToLong(PrunableTensor::length).sum();
    }

    List<String> names() {
        return tensors.stream().map(PrunableTensor::name).toList();
    }
}
