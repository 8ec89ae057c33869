/**
 * The per-layer pruning sensitivity tool ({@link org.rpg4j.examples.sensitivity.Sensitivity}): loads
 * or trains a network, runs {@link org.rpg4j.dl4j.structured.SensitivityAnalysis} and writes the
 * table as CSV and a plot.
 */
package org.rpg4j.examples.sensitivity;
