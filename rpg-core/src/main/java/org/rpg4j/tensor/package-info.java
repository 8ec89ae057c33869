/**
 * The ND4J side of the core's primitive-array algorithms: conversions between {@code INDArray}s
 * (any storage order, views included) and the flat C-order {@code float[]} / {@code boolean[]}
 * arrays that {@code org.rpg4j.mask}, {@code org.rpg4j.regrow} and {@code org.rpg4j.schedule}
 * work on (those packages stay ND4J-free), applying a topology update's kept-weight mask to the
 * weights, and per-layer structure metrics (all-zero rows and columns).
 *
 * <p>The copies take a fast route on ND4J's CPU backend (bulk copies through the array's host
 * pointer) and an ND4J-generic route on any other backend; {@link org.rpg4j.tensor.HostAccess}
 * decides which, and can force the generic one.
 */
package org.rpg4j.tensor;
