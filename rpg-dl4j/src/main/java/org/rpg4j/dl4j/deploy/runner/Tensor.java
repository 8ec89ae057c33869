package org.rpg4j.dl4j.deploy.runner;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One activation between the runner's steps, held as an ND4J array, as a row-major Java
 * {@code float[]}, or both: each form is made on first request by a bulk copy and then kept, so a
 * chain of sparse kernels never touches ND4J and a chain of DL4J layers never touches Java arrays.
 */
final class Tensor {

    private final long[] shape;
    private INDArray array;
    private float[] floats;

    private Tensor(long[] shape, INDArray array, float[] floats) {
        this.shape = shape;
        this.array = array;
        this.floats = floats;
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
            target.put(floats);
            array = created;
        }
        return array;
    }

    /** @return the value as a row-major float32 array; do not modify it */
    float[] floats() {
        if (floats == null) {
            floats = toFloats(array);
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
