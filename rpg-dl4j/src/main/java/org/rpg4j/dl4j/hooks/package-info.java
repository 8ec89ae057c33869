/**
 * The DL4J extension-point objects that rpg4j places in a network's layer configurations: three
 * per-layer {@code Regularization}s ({@link org.rpg4j.dl4j.hooks.CaptureGradients} first in the
 * list, {@link org.rpg4j.dl4j.hooks.MaskGradients} and {@link org.rpg4j.dl4j.hooks.MaskUpdates}
 * last). They serialise with the configuration (only the layer name) and do their work through a
 * {@link org.rpg4j.dl4j.hooks.LayerHooks} bound at attach or restore time; an unbound hook refuses
 * to train. Users do not create these: {@code Dl4jPruning} does.
 */
package org.rpg4j.dl4j.hooks;
