/**
 * Offline image data for the examples: readers for the CIFAR-10 binary format and the idx format
 * (MNIST, Fashion-MNIST), a small built-in synthetic data set, locating a data set on disk, and
 * turning images into normalised, augmented training batches.
 *
 * <p>Images are held as unsigned bytes ({@link org.rpg4j.examples.data.ImageSet}) and converted to
 * float batches only when a batch is assembled, so CIFAR-10 needs 150 MB of heap, not 600 MB.
 */
package org.rpg4j.examples.data;
