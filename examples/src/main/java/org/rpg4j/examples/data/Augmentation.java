package org.rpg4j.examples.data;

/**
 * Training-time augmentation: a random crop after zero padding (the pad is black, pixel value 0,
 * as torchvision's {@code RandomCrop(32, padding=4)}) and a random horizontal flip with probability
 * 1/2. The standard CIFAR recipe is {@code new Augmentation(4, true)}.
 *
 * @param padding pixels of padding on each side before the crop, {@code >= 0}; 0 = no crop
 * @param flip whether to flip horizontally with probability 1/2
 */
public record Augmentation(int padding, boolean flip) {
    /** No augmentation. */
    public static final Augmentation NONE = new Augmentation(0, false);
    /** Random crop with 4 pixels of padding and horizontal flip (the CIFAR recipe). */
    public static final Augmentation CROP_FLIP = new Augmentation(4, true);

    /** @throws IllegalArgumentException if padding is negative or above 64 */
    public Augmentation {
        if (padding < 0 || padding > 64) {
            throw new IllegalArgumentException("padding must be in [0, 64], got " + padding);
        }
    }

    /** @return true if this augmentation changes images */
    public boolean isActive() {
        return padding > 0 || flip;
    }

    @Override
    public String toString() {
        if (!isActive()) {
            return "none";
        }
        return (padding > 0 ? "random crop (padding " + padding + ")" : "") + (padding > 0 && flip ? " + " : "")
                + (flip ? "horizontal flip" : "");
    }
}
