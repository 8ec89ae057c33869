package org.rpg4j.dl4j.deploy.runner;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.sparse.kernel.PlaneLayout;
import org.rpg4j.tensor.HostAccess;

/**
 * One activation between the runner's steps, held as an ND4J array, as a row-major Java
 * {@code float[]}, as a Java array with zero-bordered planes ({@link PlaneLayout}, what a stride-1
 * sparse convolution reads), as an NHWC ND4J array (what a dense step on oneDNN hands to the next such step,
 * {@link #channelsLast(INDArray, long...)}), or several of these: each form is made on first request by a copy and
 * then kept, so a chain of sparse kernels never touches ND4J, a chain of DL4J layers never touches Java
 * arrays, and a convolution writing the next one's padded layout saves both the copy into it and the
 * copy out of the padded-width rows.
 */
final class Tensor {

    private final long[] shape;
    /** The value as {@code [batch, height, width, channels]} (what a dense step on oneDNN wrote), or null. */
    private INDArray channelsLast;
    private INDArray array;
    private float[] floats;
    private PlaneLayout layout;
    private float[] padded;
    /** The value of the 2x2 pooling step reading this one, computed by this value's producer, or null. */
    private Tensor pooled;

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
     * @param nhwc {@code [batch, height, width, channels]} float32 row-major, owned by the tensor from now on
     * @param shape the value's shape {@code [batch, channels, height, width]}
     * @return the value, held in NHWC until another form is asked for
     */
    static Tensor channelsLast(INDArray nhwc, long... shape) {
        Tensor tensor = new Tensor(shape, null, null);
        tensor.channelsLast = nhwc;
        return tensor;
    }

    /**
     * A value that is not kept: its producer computed the 2x2 max pooling that is its only reader
     * ({@link MaxPoolingStep}) and kept only that result. Any other form of it is refused.
     *
     * @param pooled the pooling step's output
     * @param shape the shape of the value that was pooled, {@code [batch, channels, height, width]}
     * @return the value, holding only {@code pooled}
     */
    static Tensor pooledBy(Tensor pooled, long... shape) {
        Tensor tensor = new Tensor(shape, null, null);
        tensor.pooled = pooled;
        return tensor;
    }

    /** @return the pooling step's output computed by this value's producer ({@link #pooledBy}), or null */
    Tensor pooled() {
        return pooled;
    }

    /** @throws IllegalStateException if the value was not kept ({@link #pooledBy}) */
    private void checkKept() {
        if (pooled != null) {
            throw new IllegalStateException("the value " + java.util.Arrays.toString(shape) + " was pooled by its "
                    + "producer and not kept: only its pooling step reads it");
        }
    }

    /** @return the value as {@code [batch, height, width, channels]} if a producer wrote it so, else null */
    INDArray channelsLast() {
        return channelsLast;
    }

    /**
     * @param wanted a layout
     * @return the value stored in {@code wanted}: kept from the producer when it wrote that layout, else
     *     a copy (kept for later readers); do not modify it
     */
    float[] padded(PlaneLayout wanted) {
        return padded(wanted, null);
    }

    /**
     * As {@link #padded(PlaneLayout)}; a copy kept for later readers is taken from {@code pool} (handed back by
     * {@link #release}), and a value held only as an ND4J array is padded straight from its buffer (one copy, not
     * a row-major Java copy and then the padded one).
     *
     * @param wanted a layout of this value's height and width
     * @param pool the runner's pool, or null
     * @return the value stored in {@code wanted}; do not modify it
     */
    float[] padded(PlaneLayout wanted, ArrayPool pool) {
        checkKept();
        // the identity first: a record's equals goes through ObjectMethods, and the layouts a runner's steps hand
        // over are the same objects at every call
        if (wanted == layout || wanted.equals(layout)) {
            return padded;
        }
        if (layout != null) {
            return wanted.pad(floats(), (int) shape[1]);
        }
        int planes = (int) (shape[0] * shape[1]);
        float[] copy = ArrayPool.take(pool, planes * wanted.planeSize());
        if (floats == null && array != null && rowMajor(array)) {
            FloatBuffer source = array.data().asNioFloat();
            padInto(wanted, planes, copy, (from, to, at, length) -> source.get(from, to, at, length));
        } else {
            float[] flat = floats();
            padInto(wanted, planes, copy, (from, to, at, length) -> System.arraycopy(flat, from, to, at, length));
        }
        layout = wanted;
        padded = copy;
        return copy;
    }

    /** Copies {@code length} floats of a plain row-major source from {@code from} into {@code to} at {@code at}. */
    @FunctionalInterface
    private interface RowSource {
        void copy(int from, float[] to, int at, int length);
    }

    /**
     * Writes every entry of {@code target} (which may hold old values): each plane zeroed by one fill, then its image
     * rows copied in. (A fill call for each row's left and right border, two per row besides the copy, made the
     * copies of a 70 %-shrunk ResNet-56's projection output and strided convolution output into the next block's
     * padded rows cost about 5 us per stage edge at batch 1.)
     */
    private static void padInto(PlaneLayout layout, int planes, float[] target, RowSource source) {
        int height = layout.height();
        int width = layout.width();
        int rowWidth = layout.rowWidth();
        int planeSize = layout.planeSize();
        java.util.Arrays.fill(target, 0, planes * planeSize, 0.0f);
        for (int p = 0; p < planes; p++) {
            int at = p * planeSize + layout.origin();
            for (int y = 0; y < height; y++, at += rowWidth) {
                source.copy((p * height + y) * width, target, at, width);
            }
        }
    }

    /**
     * Whether the array's buffer holds exactly its values in row-major order, so that it can be read or written as
     * one flat run. The strides of size-1 dimensions are ignored: ND4J gives such a dimension the stride of the next
     * one ({@code [20, 20, 4, 1]} for {@code [1, 1, 5, 4]}), which {@link Shape#hasDefaultStridesForShape} refuses (it
     * wants strictly descending strides), so 1-channel values and 1x1 planes failed it and were copied, or refused as
     * {@link #arrayInto}'s target.
     *
     * @param array any array
     * @return true if it is float32, 'c' ordered, not a view, its buffer as long as the array, and has
     *     {@link #defaultStrides}
     */
    static boolean rowMajor(INDArray array) {
        return array.dataType() == DataType.FLOAT && array.ordering() == 'c' && !array.isView()
                && array.data().length() == array.length() && defaultStrides(array);
    }

    /**
     * {@link Shape#hasDefaultStridesForShape} for 'c' order without its refusal of size-1 dimensions ({@link
     * #rowMajor}; {@link HostAccess#isCContiguous}): the ordering, type and offset are not checked.
     *
     * @param array any array
     * @return true if every dimension of size above 1 has the stride of a dense row-major array of its shape
     */
    static boolean defaultStrides(INDArray array) {
        return HostAccess.isCContiguous(array.shape(), array.stride());
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
        channelsLast = null;
    }

    /** @return true if the value is held only as an ND4J array (no Java copy made yet) */
    boolean onlyArray() {
        return array != null && floats == null && padded == null;
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

    /**
     * @param wanted a shape
     * @return true if the value has exactly that shape (compared in place, no copy of the shape)
     */
    boolean hasShape(long[] wanted) {
        return java.util.Arrays.equals(shape, wanted);
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
        checkKept();
        if (array == null && floats == null && padded == null && channelsLast != null) {
            array = channelsLast.permute(0, 3, 1, 2).dup('c');
        }
        if (array == null) {
            INDArray created = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
            // from the floats, or straight from the padded rows (no row-major Java copy in between)
            write(created.data().asNioFloat());
            array = created;
        }
        return array;
    }

    /**
     * The value as an ND4J array without allocating one: the array it is held as, else its values copied into
     * {@code target} (not kept by the tensor, so {@code target} may be overwritten after this call's readers ran).
     * A fresh native array per call cost 0.3-7.5 ms per MB here (page faults of new native memory), against 0.1 ms
     * for the copy itself.
     *
     * @param target float32 'c'-contiguous of the value's shape, or null to allocate (as {@link #array()})
     * @return the value as an ND4J array; do not modify it
     * @throws IllegalArgumentException if {@code target}'s shape differs from the value's
     */
    INDArray arrayInto(INDArray target) {
        if (array != null || target == null || floats == null && padded == null) {
            return array();
        }
        if (!java.util.Arrays.equals(target.shape(), shape) || !rowMajor(target)) {
            throw new IllegalArgumentException("target must be a plain float32 array of shape "
                    + java.util.Arrays.toString(shape) + ", got " + java.util.Arrays.toString(target.shape())
                    + " (strides " + java.util.Arrays.toString(target.stride()) + ", order " + target.ordering() + ", "
                    + target.dataType() + (target.isView() ? ", a view)" : ")"));
        }
        write(target.data().asNioFloat());
        return target;
    }

    /** Writes the row-major values from {@link #floats} or the padded rows into {@code target}. */
    private void write(FloatBuffer target) {
        if (floats != null) {
            target.put(0, floats);
            return;
        }
        int height = layout.height();
        int width = layout.width();
        int planes = (int) (shape[0] * shape[1]);
        for (int p = 0; p < planes; p++) {
            int row = p * layout.planeSize() + layout.origin();
            for (int y = 0; y < height; y++, row += layout.rowWidth()) {
                target.put((p * height + y) * width, padded, row, width);
            }
        }
    }

    /** @return the value as a row-major float32 array; do not modify it */
    float[] floats() {
        return floats(null);
    }

    /**
     * As {@link #floats()}, the copy made from an ND4J array or padded rows taken from {@code pool} (handed back by
     * {@link #release}).
     *
     * @param pool the runner's pool, or null
     * @return the value as a row-major float32 array; do not modify it
     */
    float[] floats(ArrayPool pool) {
        checkKept();
        if (floats == null && array == null && padded == null && channelsLast != null) {
            array();
        }
        if (floats == null) {
            if (array != null) {
                if (rowMajor(array)) {
                    float[] copy = ArrayPool.take(pool, (int) array.length());
                    array.data().asNioFloat().get(0, copy);
                    floats = copy;
                } else {
                    floats = toFloats(array);
                }
            } else {
                floats = layout.unpadInto(padded, (int) shape[1], ArrayPool.take(pool, (int) length()));
            }
        }
        return floats;
    }

    /**
     * @param source any array
     * @return its values in row-major order: the array's own buffer where it is {@link #rowMajor}, else a copy
     */
    static FloatBuffer rowMajorValues(INDArray source) {
        return rowMajor(source) ? source.data().asNioFloat() : FloatBuffer.wrap(toFloats(source));
    }

    /**
     * Copies images {@code [start, start + count)} of a batch into the first {@code count} images of a row-major
     * float32 array.
     *
     * @param values the batch's values in row-major order ({@link #rowMajorValues})
     * @param imageSize floats per image
     * @param start the first image copied
     * @param count images copied
     * @param target a row-major float32 array of at least {@code count} images
     */
    static void copyImages(FloatBuffer values, int imageSize, long start, long count, INDArray target) {
        target.data().asNioFloat().put(0, values, (int) start * imageSize, (int) count * imageSize);
    }

    /** A row-major float copy of any array (views and other types are made contiguous first). */
    static float[] toFloats(INDArray source) {
        INDArray contiguous = source;
        if (!rowMajor(source)) {
            contiguous = source.castTo(DataType.FLOAT).dup('c');
        }
        float[] values = new float[(int) contiguous.length()];
        contiguous.data().asNioFloat().get(values);
        return values;
    }
}
