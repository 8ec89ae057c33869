package org.rpg4j.examples.data;

import java.util.Objects;

/**
 * A training and a test set of the same shape, with where they came from.
 *
 * @param train the training images
 * @param test the test images
 * @param source human-readable origin (directory, or "built-in synthetic data ...")
 * @param synthetic true when the data is the built-in synthetic set
 */
public record TrainTestData(ImageSet train, ImageSet test, String source, boolean synthetic) {
    /** @throws IllegalArgumentException if the two sets differ in image shape or classes */
    public TrainTestData {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(source, "source");
        if (train.channels() != test.channels() || train.height() != test.height() || train.width() != test.width()
                || train.numClasses() != test.numClasses()) {
            throw new IllegalArgumentException("train and test must have the same image shape and classes, got "
                    + train + " and " + test);
        }
    }

    /** @return the data set's name, as shown in outputs */
    public String name() {
        return train.name();
    }

    /**
     * @param trainCount training images to keep (the first ones), {@code >= 1}; larger values keep all
     * @param testCount test images to keep, {@code >= 1}; larger values keep all
     * @return the same data restricted to subsets
     */
    public TrainTestData head(int trainCount, int testCount) {
        return new TrainTestData(train.head(Math.min(trainCount, train.size())),
                test.head(Math.min(testCount, test.size())), source, synthetic);
    }
}
