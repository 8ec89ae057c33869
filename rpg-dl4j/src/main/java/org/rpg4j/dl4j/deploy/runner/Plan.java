package org.rpg4j.dl4j.deploy.runner;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
     * Tells every step which later steps read its output ({@link Step#addReader}) and whether it is a network
     * output ({@link Step#outputLeavesRunner}), and gives it the pool.
     *
     * @param pool the runner's array pool
     */
    void connect(ArrayPool pool) {
        Map<Integer, Step> producers = new HashMap<>();
        for (Node node : nodes) {
            node.step().usePool(pool);
            for (int slot : node.inputs()) {
                Step producer = producers.get(slot);
                if (producer != null) {
                    producer.addReader(node.step());
                }
            }
            producers.put(node.output(), node.step());
        }
        for (int slot : outputSlots) {
            Step producer = producers.get(slot);
            if (producer != null) {
                producer.outputLeavesRunner();
            }
        }
    }

    /**
     * @return for every slot, the position of the last node that reads it (-1 if none reads it); a network
     *     output slot is never released, so it gets {@code nodes.size()}
     */
    int[] lastReaders() {
        int[] last = new int[slots];
        java.util.Arrays.fill(last, -1);
        for (int n = 0; n < nodes.size(); n++) {
            for (int slot : nodes.get(n).inputs()) {
                last[slot] = n;
            }
        }
        for (int slot : outputSlots) {
            last[slot] = nodes.size();
        }
        return last;
    }

    /**
     * @param step the computation
     * @param inputs slots read, in the step's input order
     * @param output slot written
     */
    record Node(Step step, int[] inputs, int output) {
    }
}
