package org.rpg4j.benchmarks.deploy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads the first {@code n} examples of a gzipped Fashion-MNIST IDX pair (Debian's
 * {@code dataset-fashion-mnist} installs them in {@value #DIR}) as features {@code [n, 1, 28, 28]}
 * scaled to [0, 1] and one-hot labels {@code [n, 10]}.
 */
final class FashionMnistFiles {
    static final String DIR = "/usr/share/datasets/fashion-mnist";

    private FashionMnistFiles() {}

    /**
     * @param prefix {@code "train"} or {@code "t10k"}
     * @param n examples to read, at most the file's count
     * @return the data set
     * @throws IOException if the files are missing or not IDX files
     */
    static DataSet read(String prefix, int n) throws IOException {
        float[] pixels = new float[n * 784];
        float[] labels = new float[n * 10];
        try (DataInputStream images = open(prefix + "-images-idx3-ubyte.gz", 0x803, n);
                DataInputStream classes = open(prefix + "-labels-idx1-ubyte.gz", 0x801, n)) {
            images.readInt();
            images.readInt();
            byte[] row = new byte[784];
            for (int i = 0; i < n; i++) {
                images.readFully(row);
                for (int j = 0; j < 784; j++) {
                    pixels[i * 784 + j] = (row[j] & 0xff) / 255f;
                }
                labels[i * 10 + classes.readUnsignedByte()] = 1f;
            }
        }
        INDArray x = Nd4j.create(pixels, new long[] {n, 1, 28, 28}, DataType.FLOAT);
        INDArray y = Nd4j.create(labels, new long[] {n, 10}, DataType.FLOAT);
        return new DataSet(x, y);
    }

    private static DataInputStream open(String name, int magic, int n) throws IOException {
        Path file = Path.of(DIR, name);
        InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16));
        int found = in.readInt();
        int count = in.readInt();
        if (found != magic || count < n) {
            in.close();
            throw new IOException(file + ": magic 0x" + Integer.toHexString(found) + " and " + count
                    + " examples, expected 0x" + Integer.toHexString(magic) + " and at least " + n);
        }
        return in;
    }
}
