package org.rpg4j.dl4j.distributed;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.dl4j.ReplicaTensors;

/**
 * Pushes the root's state to a replica between iterations: the flat parameters and the flat
 * updater state are copied element for element, then the replica's views take the pruner's current
 * masks (so masked weights and their updater state are exactly 0.0 on the replica as on the root).
 */
public final class ReplicaPush {
    private ReplicaPush() {}

    /**
     * @param root the network holding the state every replica must have; not modified
     * @param replica the replica's tensors; its network's parameters and updater state are overwritten
     * @throws IllegalArgumentException if an argument is null or the two networks differ in parameter
     *     or updater-state length
     */
    public static void push(Model root, ReplicaTensors replica) {
        if (root == null || replica == null) {
            throw new IllegalArgumentException((root == null ? "root" : "replica") + " must not be null");
        }
        Model target = replica.model();
        if (target != root) {
            copy("parameters", root.params(), target.params());
            INDArray rootState = updaterState(root);
            INDArray targetState = updaterState(target);
            if (rootState != null || targetState != null) {
                if (rootState == null || targetState == null) {
                    throw new IllegalArgumentException("only one of root and replica has updater state");
                }
                copy("updater state", rootState, targetState);
            }
        }
        replica.maskWeightsAndState();
    }

    private static void copy(String what, INDArray from, INDArray to) {
        if (from.length() != to.length()) {
            throw new IllegalArgumentException("root " + what + " have " + from.length() + " entries, the replica's "
                    + to.length() + ": the replica is not a copy of the root");
        }
        to.assign(from);
    }

    private static INDArray updaterState(Model net) {
        if (net instanceof MultiLayerNetwork m) {
            return m.getUpdater(true).getStateViewArray();
        }
        if (net instanceof ComputationGraph g) {
            return g.getUpdater(true).getStateViewArray();
        }
        throw new IllegalArgumentException("network must be a MultiLayerNetwork or ComputationGraph, got "
                + net.getClass().getName());
    }
}
