/**
 * What a run leaves in its output directory: {@code results.json}, {@code metrics.csv} and
 * {@code layers.csv}, and PNG plots (accuracy and sparsity over training, per-layer rank of the
 * final model, singular-value spectra of a few layers).
 */
package org.rpg4j.examples.results;
