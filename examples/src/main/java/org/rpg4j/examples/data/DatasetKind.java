package org.rpg4j.examples.data;

import java.nio.file.Path;
import java.util.Locale;

/** The data sets the examples can read, with their command-line names and default locations. */
public enum DatasetKind {
    /** Fashion-MNIST, idx files; found automatically where Debian's {@code dataset-fashion-mnist} installs it. */
    FASHION_MNIST("fashion-mnist", Path.of("/usr/share/datasets/fashion-mnist"), 1, 28),
    /** MNIST, idx files (same names as Fashion-MNIST); needs {@code --data-dir}. */
    MNIST("mnist", Path.of("/usr/share/datasets/mnist"), 1, 28),
    /** CIFAR-10, binary version; needs {@code --data-dir}. */
    CIFAR10("cifar10", null, 3, 32),
    /** The built-in synthetic data set, shaped for the chosen model. */
    SYNTHETIC("synthetic", null, 0, 0);

    private final String cliName;
    private final Path defaultDirectory;
    private final int channels;
    private final int side;

    DatasetKind(String cliName, Path defaultDirectory, int channels, int side) {
        this.cliName = cliName;
        this.defaultDirectory = defaultDirectory;
        this.channels = channels;
        this.side = side;
    }

    /** @return the name used on the command line and in outputs */
    public String cliName() {
        return cliName;
    }

    /** @return where the data set is looked for without {@code --data-dir}, or {@code null} */
    public Path defaultDirectory() {
        return defaultDirectory;
    }

    /** @return channels of the real data set's images (0 for synthetic: follows the model) */
    public int channels() {
        return channels;
    }

    /** @return side of the real data set's square images (0 for synthetic: follows the model) */
    public int side() {
        return side;
    }

    /**
     * @param name a command-line name such as {@code fashion-mnist} (case-insensitive)
     * @return the data set
     * @throws IllegalArgumentException naming the allowed values
     */
    public static DatasetKind fromCliName(String name) {
        for (DatasetKind kind : values()) {
            if (kind.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new IllegalArgumentException("dataset must be one of fashion-mnist, mnist, cifar10, synthetic; got "
                + name);
    }

    @Override
    public String toString() {
        return cliName;
    }
}
