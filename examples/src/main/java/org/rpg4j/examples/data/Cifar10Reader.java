package org.rpg4j.examples.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the binary version of CIFAR-10 ({@code data_batch_1.bin} .. {@code data_batch_5.bin},
 * {@code test_batch.bin}): records of 3073 bytes, one label byte in {@code [0, 9]} then 3072
 * pixel bytes (1024 red, 1024 green, 1024 blue, each 32x32 row-major).
 *
 * <p>Each file is read completely and checked before anything is returned: a file that ends inside
 * a record, is empty or holds a label above 9 gives a {@link CorruptDataException} naming the file
 * and the byte offset. Files may also be gzip compressed.
 */
public final class Cifar10Reader {
    /** Side of a CIFAR-10 image in pixels. */
    public static final int SIDE = 32;
    /** Colour channels. */
    public static final int CHANNELS = 3;
    /** Classes. */
    public static final int CLASSES = 10;
    /** Bytes per record: one label byte and {@code 3 * 32 * 32} pixel bytes. */
    public static final int RECORD_BYTES = 1 + CHANNELS * SIDE * SIDE;
    /** Name of the subdirectory the official archive unpacks to. */
    public static final String ARCHIVE_DIRECTORY = "cifar-10-batches-bin";

    private static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin",
            "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    private static final String TEST_FILE = "test_batch.bin";

    private Cifar10Reader() {}

    /**
     * @param directory a directory holding the six {@code .bin} files, directly or in
     *     {@value #ARCHIVE_DIRECTORY}
     * @return the directory that holds them, or {@code null} if neither does
     */
    public static Path locate(Path directory) {
        for (Path candidate : List.of(directory, directory.resolve(ARCHIVE_DIRECTORY))) {
            boolean all = Files.isRegularFile(candidate.resolve(TEST_FILE))
                    && TRAIN_FILES.stream().allMatch(f -> Files.isRegularFile(candidate.resolve(f)));
            if (all) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * @param directory the directory returned by {@link #locate(Path)}
     * @return the 50,000 training images (or however many the five files hold)
     * @throws CorruptDataException if a file is truncated or holds an invalid label
     * @throws IOException if a file cannot be read
     */
    public static ImageSet readTrain(Path directory) throws IOException {
        List<Path> files = new ArrayList<>();
        TRAIN_FILES.forEach(f -> files.add(directory.resolve(f)));
        return read(files, "cifar10");
    }

    /**
     * @param directory the directory returned by {@link #locate(Path)}
     * @return the 10,000 test images
     * @throws CorruptDataException if the file is truncated or holds an invalid label
     * @throws IOException if the file cannot be read
     */
    public static ImageSet readTest(Path directory) throws IOException {
        return read(List.of(directory.resolve(TEST_FILE)), "cifar10");
    }

    /**
     * Reads and concatenates CIFAR-10 binary files.
     *
     * @param files files of 3073-byte records
     * @param name name of the resulting set
     * @return all records of all files, in order
     * @throws CorruptDataException if a file is empty, ends inside a record or holds a label above 9
     * @throws IOException if a file cannot be read
     */
    public static ImageSet read(List<Path> files, String name) throws IOException {
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        for (Path file : files) {
            readFile(file, labels, pixels);
        }
        return new ImageSet(name, pixels.toByteArray(), labels.toByteArray(), CHANNELS, SIDE, SIDE, CLASSES);
    }

    private static void readFile(Path file, ByteArrayOutputStream labels, ByteArrayOutputStream pixels)
            throws IOException {
        byte[] record = new byte[RECORD_BYTES];
        ByteArrayOutputStream fileLabels = new ByteArrayOutputStream();
        ByteArrayOutputStream filePixels = new ByteArrayOutputStream();
        try (CountingInput in = CountingInput.open(file)) {
            long records = 0;
            while (true) {
                long start = in.offset();
                int n = in.readUpTo(record, 0, RECORD_BYTES, "record " + records);
                if (n == 0) {
                    break;
                }
                if (n < RECORD_BYTES) {
                    throw new CorruptDataException(file, start + n, "file is truncated: record " + records
                            + " (starting at byte " + start + ") has " + n + " of " + RECORD_BYTES + " bytes");
                }
                int label = record[0] & 0xFF;
                if (label >= CLASSES) {
                    throw new CorruptDataException(file, start, "label " + label + " of record " + records
                            + " is not a class index in [0, " + CLASSES + ")");
                }
                fileLabels.write(label);
                filePixels.write(record, 1, RECORD_BYTES - 1);
                records++;
            }
            if (records == 0) {
                throw new CorruptDataException(file, 0, "file holds no records (expected a multiple of "
                        + RECORD_BYTES + " bytes)");
            }
        }
        fileLabels.writeTo(labels);
        filePixels.writeTo(pixels);
    }
}
