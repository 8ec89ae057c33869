package org.rpg4j.examples.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and loads a data set from local files (never from the network). What the user named must
 * be found: a data set given with {@code --dataset} or a directory given with {@code --data-dir}
 * that lacks the files is an error listing the files expected. Only when no data option was given
 * at all does a missing default (Fashion-MNIST) fall back to the built-in synthetic set, with a
 * logged explanation. Files that are there but broken are an error, never a fallback.
 */
public final class DataSources {
    private static final Logger LOG = LoggerFactory.getLogger(DataSources.class);
    /** Training images of the synthetic set. */
    public static final int SYNTHETIC_TRAIN = 6000;
    /** Test images of the synthetic set. */
    public static final int SYNTHETIC_TEST = 1000;
    /** The data set used when no data option is given. */
    public static final DatasetKind DEFAULT = DatasetKind.FASHION_MNIST;
    private static final int CLASSES = 10;
    private static final String IDX_FILES = "train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], "
            + "t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]";
    private static final String CIFAR_FILES = "data_batch_1.bin .. data_batch_5.bin and test_batch.bin (the binary "
            + "version), in it or in its " + Cifar10Reader.ARCHIVE_DIRECTORY + " subdirectory";

    private DataSources() {}

    /**
     * Loads a data set.
     *
     * @param kind the data set the user named ({@code --dataset}), or {@code null} for none: {@link #DEFAULT}
     * @param directory the directory the user named ({@code --data-dir}), or {@code null} for the data set's default
     * @param syntheticChannels channels of synthetic images (used for {@link DatasetKind#SYNTHETIC} and the fallback)
     * @param syntheticSide side of synthetic images
     * @param seed seed of the synthetic data
     * @return the data, with its source
     * @throws IllegalArgumentException naming {@code --dataset} or {@code --data-dir} and the files
     *     expected, if a named data set or directory lacks them
     * @throws CorruptDataException if the files exist but are truncated or malformed
     * @throws IOException if the files exist but cannot be read
     */
    public static TrainTestData load(DatasetKind kind, Path directory, int syntheticChannels, int syntheticSide,
                                     long seed) throws IOException {
        DatasetKind dataset = kind != null ? kind : DEFAULT;
        return load(kind, directory, dataset.defaultDirectory(), syntheticChannels, syntheticSide, seed);
    }

    /** As {@link #load(DatasetKind, Path, int, int, long)}, with the data set's default directory given. */
    static TrainTestData load(DatasetKind kind, Path directory, Path defaultDirectory, int syntheticChannels,
                              int syntheticSide, long seed) throws IOException {
        if (kind == DatasetKind.SYNTHETIC) {
            return synthetic(syntheticChannels, syntheticSide, seed, "requested");
        }
        DatasetKind dataset = kind != null ? kind : DEFAULT;
        Path dir = directory != null ? directory : defaultDirectory;
        if (dir == null) {
            throw new IllegalArgumentException("--dataset " + dataset.cliName() + " needs --data-dir DIR: a directory "
                    + "holding " + expectedFiles(dataset));
        }
        TrainTestData data = dataset == DatasetKind.CIFAR10 ? readCifar(dir) : readIdx(dataset, dir);
        if (data != null) {
            return data;
        }
        if (kind == null && directory == null) {
            return fallback(dataset, "no " + IDX_FILES + " in " + dir, syntheticChannels, syntheticSide, seed);
        }
        String missing = Files.isDirectory(dir) ? "does not hold" : "does not exist, so it does not hold";
        if (directory != null) {
            throw new IllegalArgumentException("--data-dir " + dir + " " + missing + " the " + dataset.cliName()
                    + " files: expected " + expectedFiles(dataset) + "; point --data-dir at the directory that holds "
                    + "them, or use --dataset synthetic");
        }
        throw new IllegalArgumentException("--dataset " + dataset.cliName() + ": its default directory " + dir + " "
                + missing + " the files: expected " + expectedFiles(dataset) + "; give --data-dir DIR, or use "
                + "--dataset synthetic");
    }

    private static String expectedFiles(DatasetKind kind) {
        return kind == DatasetKind.CIFAR10 ? CIFAR_FILES : IDX_FILES;
    }

    /** @return the data, or null if the files are not there */
    private static TrainTestData readCifar(Path dir) throws IOException {
        Path located = Cifar10Reader.locate(dir);
        return located == null ? null : new TrainTestData(Cifar10Reader.readTrain(located),
                Cifar10Reader.readTest(located), located.toString(), false);
    }

    /** @return the data, or null if the files are not there */
    private static TrainTestData readIdx(DatasetKind kind, Path dir) throws IOException {
        Path trainImages = idxFile(dir, "train-images-idx3-ubyte");
        Path trainLabels = idxFile(dir, "train-labels-idx1-ubyte");
        Path testImages = idxFile(dir, "t10k-images-idx3-ubyte");
        Path testLabels = idxFile(dir, "t10k-labels-idx1-ubyte");
        if (trainImages == null || trainLabels == null || testImages == null || testLabels == null) {
            return null;
        }
        ImageSet train = IdxReader.read(trainImages, trainLabels, kind.cliName(), CLASSES);
        ImageSet test = IdxReader.read(testImages, testLabels, kind.cliName(), CLASSES);
        return new TrainTestData(train, test, dir.toString(), false);
    }

    private static Path idxFile(Path dir, String base) {
        for (String name : List.of(base + ".gz", base, base.replace("-idx", ".idx"))) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static TrainTestData fallback(DatasetKind kind, String why, int channels, int side, long seed) {
        String name = SyntheticData.name(channels, side);
        LOG.warn("{} not found ({}); using the built-in synthetic data set {} instead", kind.cliName(), why, name);
        return synthetic(channels, side, seed, kind.cliName() + " not found: " + why);
    }

    private static TrainTestData synthetic(int channels, int side, long seed, String why) {
        TrainTestData data = SyntheticData.generate(channels, side, CLASSES, SYNTHETIC_TRAIN, SYNTHETIC_TEST, seed);
        return new TrainTestData(data.train(), data.test(), data.source() + "; " + why, true);
    }
}
