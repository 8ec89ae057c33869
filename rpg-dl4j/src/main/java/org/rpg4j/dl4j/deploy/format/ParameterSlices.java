package org.rpg4j.dl4j.deploy.format;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.sparse.format.TensorLayout;

/**
 * A network's flat parameter vector cut into its named parameters: each entry of DL4J's parameter
 * table ({@code "0_W"} in a MultiLayerNetwork, {@code "conv1_W"} in a ComputationGraph) is a
 * contiguous slice of the flat vector in its own storage order; stretches no table entry covers
 * (none in DL4J's own layers) become tensors named {@code "unnamed@<offset>"}, so the slices always
 * tile the vector.
 *
 * @param parameters the flat parameter vector (a copy; float32)
 * @param layouts the slices, ordered by offset, tiling {@code parameters}
 */
record ParameterSlices(float[] parameters, List<TensorLayout> layouts) {

    /**
     * @param network a MultiLayerNetwork or ComputationGraph, initialised (not modified)
     * @return its parameter slices
     * @throws IllegalArgumentException if the parameters are not float32, or a parameter is not a
     *     contiguous slice of the flat vector, or two parameters overlap
     */
    static ParameterSlices of(Model network) {
        INDArray flat = network.params();
        if (flat == null || flat.isEmpty()) {
            return new ParameterSlices(new float[0], List.of());
        }
        if (flat.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("network parameters must be FLOAT (float32), got " + flat.dataType()
                    + "; convert the network with convertDataType(DataType.FLOAT) first");
        }
        List<TensorLayout> named = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : network.paramTable().entrySet()) {
            if (e.getValue().length() > 0) {
                named.add(locate(e.getKey(), e.getValue(), flat));
            }
        }
        named.sort(Comparator.comparingInt(TensorLayout::offset));
        return new ParameterSlices(flat.toFloatVector(), fillGaps(named, (int) flat.length()));
    }

    /** @return the entries of {@code layout} in storage order (a copy) */
    float[] values(TensorLayout layout) {
        float[] out = new float[layout.length()];
        System.arraycopy(parameters, layout.offset(), out, 0, out.length);
        return out;
    }

    private static TensorLayout locate(String key, INDArray view, INDArray flat) {
        if (base(view.data()) != base(flat.data()) || !isContiguous(view)) {
            throw new IllegalArgumentException("parameter '" + key + "' must be a contiguous slice of the network's "
                    + "flat parameter vector; its layer keeps it elsewhere (strides "
                    + java.util.Arrays.toString(view.stride()) + ", order " + view.ordering() + ")");
        }
        long offset = view.offset() - flat.offset();
        if (offset < 0 || offset + view.length() > flat.length()) {
            throw new IllegalArgumentException("parameter '" + key + "' lies outside the flat parameter vector (offset "
                    + offset + ", length " + view.length() + " of " + flat.length() + ")");
        }
        return new TensorLayout(key, view.shape(), view.ordering(), (int) offset);
    }

    private static List<TensorLayout> fillGaps(List<TensorLayout> named, int total) {
        List<TensorLayout> out = new ArrayList<>();
        int next = 0;
        for (TensorLayout t : named) {
            if (t.offset() < next) {
                throw new IllegalArgumentException("parameter '" + t.name() + "' overlaps the one before it (starts at "
                        + t.offset() + ", expected >= " + next + ")");
            }
            if (t.offset() > next) {
                out.add(new TensorLayout("unnamed@" + next, new long[] {t.offset() - next}, 'c', next));
            }
            out.add(t);
            next = t.offset() + t.length();
        }
        if (next < total) {
            out.add(new TensorLayout("unnamed@" + next, new long[] {total - next}, 'c', next));
        }
        return out;
    }

    /** Contiguous in its own order: default strides on every axis longer than 1. */
    private static boolean isContiguous(INDArray a) {
        long[] shape = a.shape();
        long[] strides = a.stride();
        long[] expected = Nd4j.getStrides(shape, a.ordering());
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] > 1 && strides[i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static DataBuffer base(DataBuffer buffer) {
        DataBuffer original = buffer.originalDataBuffer();
        return original == null ? buffer : original;
    }
}
