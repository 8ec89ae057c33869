package org.rpg4j.dl4j.deploy.runner;

import java.util.List;

/** One node of a compiled runner: computes its output from its inputs' values. */
interface Step {

    /**
     * @param inputs the values of the step's inputs, in the layer's or vertex's input order; not modified
     * @return the step's output
     */
    Tensor run(Tensor[] inputs);

    /** @return the report of the kernel choices made so far (one per batch size seen) */
    List<LayerChoice> choices();
}
