package org.rpg4j.dl4j.deploy.runner;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.sparse.kernel.PlaneLayout;

/**
 * One activation between the runner's steps, held as an ND4J array, as a row-major Java
 * {@code float[]}, as a Java array with zero-bordered planes ({@link PlaneLayout}, what a stride-1
 * sparse convolution reads), or several of these: each form is made on first request by a copy and
 * then kept, so a chain of sparse kernels never touches ND4J, a chain of DL4J layers never touches Java
 * arrays, and a convolution writing the next one's padded layout saves both the copy into it and the
 * copy out of the padded-width rows.
 */
final class Tensor {

    private final long[] shape;
    private INDArray array;
    private float[] floats;
    private PlaneLayout layout;
    private float[] padded;

    private Tensor(long[] shape, INDArray array, float[] floats) {
        this.shape = shape;
        this.array = array;
        this.floats = floats;
    }

    /**
     * @param padded {@code [batch, channels, rows, rowWidth]} in {@code layout}, owned by the tensor from now on
     * @param layout the layout; its height and width are {@code shape[2]} and {@code shape[3]}
     * @param shape {@code [batch, channels, height, width]}
     */
    static Tensor padded(float[] padded, PlaneLayout layout, long... shape) {
        Tensor tensor = new Tensor(shape, null, null);
        tensor.layout = layout;
        tensor.padded = padded;
        return tensor;
    }

    /**
     * @param wanted a layout
     * @return the value stored in {@code wanted}: kept from the producer when it wrote that layout, else
     *     a copy (kept for later readers); do not modify it
     */
    float[] padded(PlaneLayout wanted) {
        if (wanted.equals(layout)) {
            return padded;
        }
        float[] copy = wanted.pad(floats(), (int) shape[1]);
        if (layout == null) {
            layout = wanted;
            padded = copy;
        }
        return copy;
    }

    /**
     * Hands the value's Java arrays to {@code pool} for reuse; the tensor must not be read afterwards.
     *
     * @param pool the runner's pool
     */
    void release(ArrayPool pool) {
        pool.give(floats);
        if (padded != floats) {
            pool.give(padded);
        }
        floats = null;
        padded = null;
        layout = null;
    }

    /** @return the layout the value is already stored in, or null */
    PlaneLayout layout() {
        return layout;
    }

    /** @param array any ND4J array; not modified */
    static Tensor of(INDArray array) {
        return new Tensor(array.shape(), array, null);
    }

    /**
     * @param floats row-major values, owned by the tensor from now on
     * @param shape the shape; its product must equal {@code floats.length}
     */
    static Tensor of(float[] floats, long... shape) {
        return new Tensor(shape, null, floats);
    }

    long[] shape() {
        return shape.clone();
    }

    long size(int dimension) {
        return shape[dimension];
    }

    /** @return the number of values (the product of the shape) */
    long length() {
        long length = 1;
        for (long size : shape) {
            length *= size;
        }
        return length;
    }

    int rank() {
        return shape.length;
    }

    /** @return the value as an ND4J array (float32 when made from floats); do not modify it */
    INDArray array() {
        if (array == null) {
            INDArray created = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
            FloatBuffer target = created.data().asNioFloat();
            target.put(floats());
            array = created;
        }
        return array;
    }

    /** @return the value as a row-major float32 array; do not modify it */
    float[] floats() {
        if (floats == null) {
            floats = array != null ? toFloats(array) : layout.unpad(padded, (int) shape[1]);
        }
        return floats;
    }

    /** A row-major float copy of any array (views and other types are made contiguous first). */
    static float[] toFloats(INDArray source) {
        INDArray contiguous = source;
        if (source.dataType() != DataType.FLOAT || source.ordering() != 'c' || source.isView()
                || !Shape.hasDefaultStridesForShape(source) || source.data().length() != source.length()) {
            contiguous = source.castTo(DataType.FLOAT).dup('c');
        }
        float[] values = new float[(int) contiguous.length()];
        contiguous.data().asNioFloat().get(values);
        return values;
    }
}
