package org.rpg4j.examples.models;

import java.util.Locale;

/** Which convolution and batch-normalisation layers a network is built from. */
public enum LayerImpl {
    /** DL4J's own layers ({@link StandardLayers}). */
    STANDARD("standard"),
    /** rpg4j's oneDNN-backed layers from {@code org.rpg4j.dl4j.layers}. */
    FAST("fast");

    private final String cliName;

    LayerImpl(String cliName) {
        this.cliName = cliName;
    }

    /** @return the name used on the command line and in outputs */
    public String cliName() {
        return cliName;
    }

    /**
     * @return the layer maker
     * @throws UnsupportedOperationException if these layers are not available in this build
     */
    public LayerKit kit() {
        if (this == STANDARD) {
            return StandardLayers.INSTANCE;
        }
        throw new UnsupportedOperationException("--layers fast needs org.rpg4j.dl4j.layers, which this build does "
                + "not contain yet; use --layers standard");
    }

    /**
     * @param name {@code standard} or {@code fast} (case-insensitive)
     * @return the implementation
     * @throws IllegalArgumentException naming the allowed values
     */
    public static LayerImpl fromCliName(String name) {
        for (LayerImpl l : values()) {
            if (l.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return l;
            }
        }
        throw new IllegalArgumentException("layers must be standard or fast; got " + name);
    }

    @Override
    public String toString() {
        return cliName;
    }
}
