package org.rpg4j.examples.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and loads a data set from local files (never from the network), falling back to the
 * built-in synthetic set, with a logged explanation, when the files are not there. Files that are
 * there but broken are an error, never a fallback.
 */
public final class DataSources {
    private static final Logger LOG = LoggerFactory.getLogger(DataSources.class);
    /** Training images of the synthetic fallback. */
    public static final int SYNTHETIC_TRAIN = 6000;
    /** Test images of the synthetic fallback. */
    public static final int SYNTHETIC_TEST = 1000;
    private static final int CLASSES = 10;

    private DataSources() {}

    /**
     * Loads a data set.
     *
     * @param kind which data set
     * @param directory where to look, or {@code null} for the data set's default directory
     * @param syntheticChannels channels of synthetic images (used for {@link DatasetKind#SYNTHETIC} and the fallback)
     * @param syntheticSide side of synthetic images
     * @param seed seed of the synthetic data
     * @return the data, with its source
     * @throws CorruptDataException if the files exist but are truncated or malformed
     * @throws IOException if the files exist but cannot be read
     */
    public static TrainTestData load(DatasetKind kind, Path directory, int syntheticChannels, int syntheticSide,
                                     long seed) throws IOException {
        if (kind == DatasetKind.SYNTHETIC) {
            return synthetic(syntheticChannels, syntheticSide, seed, "requested");
        }
        Path dir = directory != null ? directory : kind.defaultDirectory();
        if (dir == null) {
            return fallback(kind, "no --data-dir given", syntheticChannels, syntheticSide, seed);
        }
        if (kind == DatasetKind.CIFAR10) {
            Path located = Cifar10Reader.locate(dir);
            if (located == null) {
                return fallback(kind, "no data_batch_1.bin .. data_batch_5.bin and test_batch.bin in " + dir
                        + " or " + dir.resolve(Cifar10Reader.ARCHIVE_DIRECTORY), syntheticChannels, syntheticSide, seed);
            }
            return new TrainTestData(Cifar10Reader.readTrain(located), Cifar10Reader.readTest(located),
                    located.toString(), false);
        }
        Path trainImages = idxFile(dir, "train-images-idx3-ubyte");
        Path trainLabels = idxFile(dir, "train-labels-idx1-ubyte");
        Path testImages = idxFile(dir, "t10k-images-idx3-ubyte");
        Path testLabels = idxFile(dir, "t10k-labels-idx1-ubyte");
        if (trainImages == null || trainLabels == null || testImages == null || testLabels == null) {
            return fallback(kind, "no train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], "
                    + "t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz] in " + dir, syntheticChannels,
                    syntheticSide, seed);
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
