package org.rpg4j.examples.models;

import java.util.Locale;

/** Which convolution and batch-normalisation layers a network is built from. */
public enum LayerImpl {
    /** DL4J's own layers ({@link StandardLayers}). */
    STANDARD("standard"),
    /** rpg4j's layers on libnd4j's native (oneDNN) ops ({@link FastLayerKit}). */
    FAST("fast"),
    /** {@link #FAST} when the native backend has oneDNN, else {@link #STANDARD}. */
    AUTO("auto");

    private final String cliName;

    LayerImpl(String cliName) {
        this.cliName = cliName;
    }

    /** @return the name used on the command line and in outputs */
    public String cliName() {
        return cliName;
    }

    /** @return {@link #STANDARD} or {@link #FAST}; {@link #AUTO} decided by {@link #oneDnnAvailable()} */
    public LayerImpl resolve() {
        if (this != AUTO) {
            return this;
        }
        return oneDnnAvailable() ? FAST : STANDARD;
    }

    /** @return the layer maker ({@link #AUTO} resolved first) */
    public LayerKit kit() {
        return resolve() == STANDARD ? StandardLayers.INSTANCE : FastLayerKit.INSTANCE;
    }

    /** @return true if the native backend has oneDNN, which makes the fast layers fast */
    public static boolean oneDnnAvailable() {
        return org.rpg4j.dl4j.layers.FastLayers.hasOneDnn();
    }

    /**
     * @param name {@code standard}, {@code fast} or {@code auto} (case-insensitive)
     * @return the implementation
     * @throws IllegalArgumentException naming the allowed values
     */
    public static LayerImpl fromCliName(String name) {
        for (LayerImpl l : values()) {
            if (l.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return l;
            }
        }
        throw new IllegalArgumentException("layers must be standard, fast or auto; got " + name);
    }

    @Override
    public String toString() {
        return cliName;
    }
}
