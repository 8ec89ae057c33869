package org.rpg4j.dl4j;

import java.util.List;

/**
 * Implemented by a custom DL4J layer configuration (a subclass of
 * {@code org.deeplearning4j.nn.conf.layers.Layer}) to declare its prunable weights itself, so
 * that {@link Dl4jPruning#attach} prunes it without a registration in {@link PrunableLayers}.
 * A declaration here wins over any registration of a superclass.
 */
public interface PrunableWeights {
    /** @return the prunable weights of this layer, in a fixed order; empty if none */
    List<WeightSpec> prunableWeights();
}
