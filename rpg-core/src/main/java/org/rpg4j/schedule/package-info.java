/**
 * When and how far to prune: the topology-update cadence (every {@code deltaT} iterations until
 * {@code tEnd}), the global density after each update (exponential as the RPG reference, cubic,
 * linear, constant, one-shot, or a user curve), and the cosine-decayed drop fraction of regrowth.
 */
package org.rpg4j.schedule;
