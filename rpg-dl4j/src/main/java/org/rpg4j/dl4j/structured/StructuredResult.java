package org.rpg4j.dl4j.structured;

import org.deeplearning4j.nn.api.Model;
import org.rpg4j.structured.KeepSelection;

/**
 * The outcome of a structured pruning run.
 *
 * @param network the new, smaller network (same type as the original, updater state copied from the original, sliced); the
 *     original is not modified
 * @param selection the channels kept per group of the original's analysis
 * @param report per-layer channels, parameters and multiply-adds, before and after
 */
public record StructuredResult(Model network, KeepSelection selection, StructuredReport report) {}
