package org.rpg4j.benchmarks.overhead;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** A seeded CIFAR-shaped batch: N(0, 1) images {@code [batch, 3, 32, 32]} and one-hot labels {@code [batch, 10]}. */
public final class SyntheticCifar {

    private SyntheticCifar() {
    }

    /**
     * @param size batch size, &ge; 1
     * @param seed seed of the pixels and labels
     * @return the batch
     */
    public static DataSet batch(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[size * 3 * 32 * 32];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        INDArray features = Nd4j.create(pixels, new long[] {size, 3, 32, 32}, 'c');
        INDArray labels = Nd4j.zeros(DataType.FLOAT, size, 10);
        for (int i = 0; i < size; i++) {
            labels.putScalar(i, random.nextInt(10), 1.0);
        }
        return new DataSet(features, labels);
    }
}
