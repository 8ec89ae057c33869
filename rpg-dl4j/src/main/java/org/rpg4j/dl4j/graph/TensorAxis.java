package org.rpg4j.dl4j.graph;

import org.rpg4j.structured.SliceRole;

/**
 * One channel-indexed axis of one parameter: index {@code i} along {@code axis} belongs to the
 * activation position {@code positions[i]} (an internal union-find id).
 *
 * @param layer layer name
 * @param param parameter key
 * @param axis axis of the parameter's logical shape
 * @param positions one position id per index along the axis
 * @param role what the axis is to its channels
 */
record TensorAxis(String layer, String param, int axis, int[] positions, SliceRole role) {}
