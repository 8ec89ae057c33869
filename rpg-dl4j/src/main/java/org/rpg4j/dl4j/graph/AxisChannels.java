package org.rpg4j.dl4j.graph;

import org.rpg4j.structured.SliceRole;

/**
 * One channel-indexed axis of one parameter of a layer.
 *
 * @param param parameter key ({@code "W"}, {@code "b"}, {@code "pW"}, {@code "gamma"}, ...)
 * @param axis axis of the parameter's logical shape
 * @param channels the channel of each index along the axis
 * @param role what the axis is to its channels
 */
public record AxisChannels(String param, int axis, PositionChannels channels, SliceRole role) {}
