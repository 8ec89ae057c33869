package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.sparse.kernel.PlaneLayout;

/**
 * A value copied into padded rows ({@link Tensor#padded(PlaneLayout, ArrayPool)}: a projection's or a strided
 * convolution's plain output handed to the next 3x3 layer or residual) overwrites every entry of a pooled array that
 * holds old values (NaN): zero borders on every side, the image where the layout puts it; from row-major floats and
 * from an ND4J array, on random layouts with 1-3 channels, batch 1-3, planes from 1x1 up.
 */
class PaddedCopyTest {

    @Test
    void everyEntryOfAReusedArrayIsWritten() {
        Random random = new Random(51);
        for (int trial = 0; trial < 60; trial++) {
            int batch = 1 + random.nextInt(3);
            int channels = 1 + random.nextInt(3);
            int height = 1 + random.nextInt(17);
            int width = 1 + random.nextInt(17);
            int padTop = random.nextInt(3);
            int padLeft = random.nextInt(3);
            int rowWidth = width + padLeft + random.nextInt(3);
            int rows = height + padTop + random.nextInt(3);
            PlaneLayout layout = new PlaneLayout(height, width, padTop, padLeft, rowWidth, rows);
            long[] shape = {batch, channels, height, width};
            float[] flat = new float[batch * channels * height * width];
            for (int i = 0; i < flat.length; i++) {
                flat[i] = (float) random.nextGaussian();
            }
            float[] expected = layout.pad(flat, channels);
            String what = layout + " batch " + batch + " channels " + channels;

            ArrayPool pool = new ArrayPool();
            float[] dirty = pool.take(expected.length);
            Arrays.fill(dirty, Float.NaN);
            pool.give(dirty);
            float[] fromFloats = Tensor.of(flat.clone(), shape).padded(layout, pool);
            assertSame(dirty, fromFloats, "the pooled array is reused: " + what);
            assertArrayEquals(expected, fromFloats, "from floats: " + what);

            ArrayPool arrayPool = new ArrayPool();
            float[] dirtyToo = arrayPool.take(expected.length);
            Arrays.fill(dirtyToo, Float.NaN);
            arrayPool.give(dirtyToo);
            INDArray array = Nd4j.create(flat.clone(), shape, 'c').castTo(DataType.FLOAT);
            assertArrayEquals(expected, Tensor.of(array).padded(layout, arrayPool), "from an array: " + what);
        }
    }
}
