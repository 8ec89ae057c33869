package org.rpg4j.dl4j.deploy.runner;

import java.util.List;

/**
 * A compiled network: value slots, the slots the network inputs fill, the slots read as outputs,
 * and the steps in execution order, each reading some slots and writing one.
 *
 * @param slots number of value slots
 * @param inputSlots slot of each network input
 * @param outputSlots slot of each network output
 * @param nodes the steps in execution order
 */
record Plan(int slots, int[] inputSlots, int[] outputSlots, List<Node> nodes) {

    /**
     * @param step the computation
     * @param inputs slots read, in the step's input order
     * @param output slot written
     */
    record Node(Step step, int[] inputs, int output) {
    }
}
