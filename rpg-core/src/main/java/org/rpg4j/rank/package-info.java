/**
 * The rank side of RPG: the adversarial rank loss of one weight tensor (value, energy-chosen
 * truncation rank and analytic gradient), its aggregation over layers, and rank metrics (singular
 * spectrum, delta-rank, numerical rank) for reports.
 *
 * <p>Every weight tensor is seen as the matrix {@code [out, rest]}: its first axis against all
 * other axes flattened in row-major order of the logical shape (a convolution kernel {@code [out,
 * in, kh, kw]} becomes {@code [out, in * kh * kw]}). All functions are static, leave their inputs
 * alone and compute internally in double precision.
 */
package org.rpg4j.rank;
