package org.rpg4j.prune;

/** What an adapter does with a layer that has weights rpg4j cannot prune. */
public enum UnsupportedLayerPolicy {
    /** Throw, naming the layer and its class. */
    STRICT,
    /** Log a warning naming the layer and its class, and list it in the report as unsupported. */
    LENIENT
}
