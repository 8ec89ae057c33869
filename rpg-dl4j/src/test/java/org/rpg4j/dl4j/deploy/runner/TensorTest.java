package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.rpg4j.sparse.kernel.PlaneLayout;

/** The conversions between a value's forms: ND4J array, row-major Java array, padded planes. */
class TensorTest {

    private static final long[] SHAPE = {2, 3, 4, 5};
    private static final PlaneLayout LAYOUT = new PlaneLayout(4, 5, 1, 2, 9, 7);

    /**
     * An array-only value padded straight from its buffer into a pooled array that holds old values (NaN): every
     * border entry zero, every pixel where {@link PlaneLayout#pad} puts it; the copy is kept and goes back to the
     * pool at release.
     */
    @Test
    void paddedFromAnArrayOverwritesAPooledArray() {
        INDArray array = Nd4j.rand(DataType.FLOAT, SHAPE);
        float[] flat = array.data().asFloat();
        ArrayPool pool = new ArrayPool();
        int length = (int) (SHAPE[0] * SHAPE[1]) * LAYOUT.planeSize();
        float[] dirty = pool.take(length);
        Arrays.fill(dirty, Float.NaN);
        pool.give(dirty);
        Tensor tensor = Tensor.of(array);
        float[] padded = tensor.padded(LAYOUT, pool);
        assertSame(dirty, padded, "the pooled array is reused");
        assertArrayEquals(LAYOUT.pad(flat, 3), padded);
        assertSame(padded, tensor.padded(LAYOUT), "kept for later readers");
        assertEquals(1, pool.outstanding());
        tensor.release(pool);
        assertEquals(0, pool.outstanding());
    }

    /**
     * A value held only in padded rows (a sparse step's output) unpads into a pooled array holding old values (NaN),
     * which goes back to the pool at release: before, each such read allocated a new array (2 MB per call at
     * ResNet-56's stage 0, fresh heap that page-faulted at every call).
     */
    @Test
    void floatsFromPaddedRowsOverwriteAPooledArray() {
        float[] flat = Nd4j.rand(DataType.FLOAT, SHAPE).data().asFloat();
        ArrayPool pool = new ArrayPool();
        float[] dirty = pool.take(flat.length);
        Arrays.fill(dirty, Float.NaN);
        pool.give(dirty);
        Tensor tensor = Tensor.padded(LAYOUT.pad(flat, 3), LAYOUT, SHAPE);
        float[] floats = tensor.floats(pool);
        assertSame(dirty, floats, "the pooled array is reused");
        assertArrayEquals(flat, floats);
        assertEquals(1, pool.outstanding());
        tensor.release(pool);
        assertEquals(0, pool.outstanding());
        assertSame(dirty, pool.take(flat.length), "handed back at release");
    }

    /** A value held in NHWC (a dense step's output) goes to NCHW, row-major floats and padded rows unchanged. */
    @Test
    void channelsLastValueConvertsToEveryOtherForm() {
        INDArray nchw = Nd4j.rand(DataType.FLOAT, SHAPE);
        INDArray nhwc = nchw.permute(0, 2, 3, 1).dup('c');
        float[] flat = nchw.data().asFloat();
        Tensor tensor = Tensor.channelsLast(nhwc, SHAPE);
        assertSame(nhwc, tensor.channelsLast());
        assertArrayEquals(SHAPE, tensor.shape());
        assertEquals(nchw, tensor.array());
        assertArrayEquals(flat, Tensor.channelsLast(nhwc, SHAPE).floats());
        assertArrayEquals(LAYOUT.pad(flat, 3), Tensor.channelsLast(nhwc, SHAPE).padded(LAYOUT, new ArrayPool()));
        ArrayPool pool = new ArrayPool();
        Tensor released = Tensor.channelsLast(nhwc, SHAPE);
        released.floats(pool);
        released.release(pool);
        assertEquals(null, released.channelsLast());
        assertEquals(0, pool.outstanding());
    }

    /**
     * A Java value is copied into the caller's array (from row-major floats and from padded rows) without being
     * cached; a value held in ND4J returns its own array; a target of another shape is refused.
     */
    @Test
    void arrayIntoCopiesJavaValuesIntoTheTarget() {
        INDArray nchw = Nd4j.rand(DataType.FLOAT, SHAPE);
        float[] flat = nchw.data().asFloat();
        INDArray target = Nd4j.valueArrayOf(SHAPE, Float.NaN, DataType.FLOAT);
        Tensor fromFloats = Tensor.of(flat.clone(), SHAPE);
        assertSame(target, fromFloats.arrayInto(target));
        assertEquals(nchw, target);
        INDArray second = Nd4j.valueArrayOf(SHAPE, Float.NaN, DataType.FLOAT);
        assertSame(second, Tensor.padded(LAYOUT.pad(flat, 3), LAYOUT, SHAPE).arrayInto(second));
        assertEquals(nchw, second);
        assertSame(nchw, Tensor.of(nchw).arrayInto(target));
        IllegalArgumentException wrong = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> fromFloats.arrayInto(Nd4j.create(DataType.FLOAT, 2, 3, 5, 4)));
        assertTrue(wrong.getMessage().startsWith("target must be a plain float32 array of shape [2, 3, 4, 5]"),
                wrong.getMessage());
    }

    /** A value held as padded rows goes to ND4J (and back to plain floats) without losing or moving a pixel. */
    @Test
    void arrayFromPaddedRowsMatchesTheImage() {
        float[] flat = Nd4j.rand(DataType.FLOAT, SHAPE).data().asFloat();
        float[] padded = LAYOUT.pad(flat, 3);
        Tensor tensor = Tensor.padded(padded, LAYOUT, SHAPE);
        INDArray array = tensor.array();
        assertArrayEquals(SHAPE, array.shape());
        assertArrayEquals(flat, array.data().asFloat());
        assertArrayEquals(flat, Tensor.padded(padded, LAYOUT, SHAPE).floats());
    }

    /**
     * Row-major floats from an array: a plain array into a pooled array (handed back at release), a view through
     * a contiguous copy; both equal the array's values.
     */
    @Test
    void floatsFromArraysPlainAndViewed() {
        INDArray array = Nd4j.rand(DataType.FLOAT, SHAPE);
        ArrayPool pool = new ArrayPool();
        Tensor plain = Tensor.of(array);
        assertArrayEquals(array.data().asFloat(), plain.floats(pool));
        assertEquals(1, pool.outstanding());
        plain.release(pool);
        assertEquals(0, pool.outstanding());
        INDArray wide = Nd4j.rand(DataType.FLOAT, 2, 3, 4, 7);
        INDArray view = wide.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1,
                6));
        Tensor viewed = Tensor.of(view);
        assertArrayEquals(view.dup('c').data().asFloat(), viewed.floats(pool));
        float[] padded = Tensor.of(view).padded(LAYOUT, pool);
        assertArrayEquals(LAYOUT.pad(view.dup('c').data().asFloat(), 3), padded);
    }

    /**
     * Shapes with a size-1 dimension after the first (one channel, 1x1 planes, one-pixel-wide planes): ND4J gives
     * such a dimension the stride of the next one, which {@code Shape.hasDefaultStridesForShape} rejects (it asks for
     * strictly descending strides), so a fresh 'c' array of shape [1, 1, h, w] was refused as {@code arrayInto}'s
     * target and copied by {@code floats} and {@code padded}. Each must now take the plain path: the target is written,
     * and the Java copies come from the pool.
     */
    @Test
    void sizeOneDimensionsAreContiguous() {
        long[][] shapes = {{1, 1, 5, 4}, {2, 1, 5, 4}, {3, 1, 4, 5}, {2, 3, 1, 1}, {1, 1, 1, 1}, {1, 1, 4, 1}};
        for (long[] shape : shapes) {
            String name = Arrays.toString(shape);
            INDArray values = Nd4j.rand(DataType.FLOAT, shape);
            float[] flat = values.data().asFloat();
            INDArray target = Nd4j.createUninitialized(DataType.FLOAT, shape);
            assertTrue(Tensor.rowMajor(target), name);
            assertSame(target, Tensor.of(flat.clone(), shape).arrayInto(target), name);
            assertEquals(values, target, name);
            PlaneLayout layout = new PlaneLayout((int) shape[2], (int) shape[3], 1, 1, (int) shape[3] + 3,
                    (int) shape[2] + 2);
            INDArray second = Nd4j.valueArrayOf(shape, Float.NaN, DataType.FLOAT);
            assertSame(second, Tensor.padded(layout.pad(flat, (int) shape[1]), layout, shape).arrayInto(second),
                    name);
            assertEquals(values, second, name);
            ArrayPool pool = new ArrayPool();
            assertArrayEquals(flat, Tensor.of(values).floats(pool), name);
            assertEquals(1, pool.outstanding(), name + ": copied from the buffer into a pooled array");
            assertArrayEquals(layout.pad(flat, (int) shape[1]), Tensor.of(values).padded(layout, pool), name);
            assertEquals(2, pool.outstanding(), name + ": the padded copy from the pool");
        }
    }

    /** The contiguity test: strides of size-1 dimensions ignored; views, 'f' order and other types refused. */
    @Test
    void rowMajorIgnoresOnlyTheStridesOfSizeOneDimensions() {
        assertTrue(Tensor.rowMajor(Nd4j.create(DataType.FLOAT, 2, 3, 4, 5)));
        assertTrue(Tensor.rowMajor(Nd4j.create(DataType.FLOAT, 1, 1, 4, 5)));
        assertTrue(Tensor.rowMajor(Nd4j.create(DataType.FLOAT, 3, 1)));
        assertTrue(Tensor.rowMajor(Nd4j.create(DataType.FLOAT, 1, 1, 1, 1)));
        assertTrue(!Tensor.rowMajor(Nd4j.create(DataType.DOUBLE, 1, 1, 4, 5)), "double");
        assertTrue(!Tensor.rowMajor(Nd4j.create(DataType.FLOAT, new long[] {2, 1, 4, 5}, 'f')), "'f' order");
        INDArray wide = Nd4j.create(DataType.FLOAT, 2, 1, 4, 7);
        assertTrue(!Tensor.rowMajor(wide.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(1, 6))), "a view of columns");
        assertTrue(!Tensor.rowMajor(Nd4j.create(DataType.FLOAT, 2, 1, 4, 5).permute(0, 1, 3, 2)), "transposed");
    }
}
