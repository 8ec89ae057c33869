package org.rpg4j.dl4j.distributed;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Averages dense gradients captured on several replicas the way the RPG reference's all-reduce
 * does: the plain mean over replicas of each replica's batch-mean gradient, every replica weighted
 * equally (equal to the mean over all examples when the replicas' minibatches have the same size).
 * Summation runs in replica order, so the result does not depend on thread timing.
 */
public final class GradientAverage {
    private GradientAverage() {}

    /**
     * @param perReplica for each replica (in a fixed order), tensor name to its captured batch-mean
     *     gradient; every map has the same names and shapes; not modified
     * @return tensor name to the mean over replicas, new arrays created outside any workspace, in the
     *     first map's name order
     * @throws IllegalArgumentException if the list is null or empty, or the maps differ in names or shapes
     */
    public static Map<String, INDArray> mean(List<Map<String, INDArray>> perReplica) {
        if (perReplica == null || perReplica.isEmpty()) {
            throw new IllegalArgumentException("perReplica must hold at least one replica's gradients, got "
                    + (perReplica == null ? "null" : "an empty list"));
        }
        Map<String, INDArray> first = perReplica.get(0);
        Map<String, INDArray> sum = new LinkedHashMap<>();
        MemoryWorkspace scope = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
        try {
            first.forEach((name, g) -> sum.put(name, g.dup('c')));
            for (int r = 1; r < perReplica.size(); r++) {
                Map<String, INDArray> next = perReplica.get(r);
                if (!next.keySet().equals(first.keySet())) {
                    throw new IllegalArgumentException("replica " + r + " captured tensors " + next.keySet()
                            + ", replica 0 captured " + first.keySet()
                            + ": every replica must capture the same tensors");
                }
                for (Map.Entry<String, INDArray> e : sum.entrySet()) {
                    INDArray g = next.get(e.getKey());
                    if (!java.util.Arrays.equals(g.shape(), e.getValue().shape())) {
                        throw new IllegalArgumentException("tensor '" + e.getKey() + "' has shape "
                                + java.util.Arrays.toString(g.shape()) + " on replica " + r + " but "
                                + java.util.Arrays.toString(e.getValue().shape()) + " on replica 0");
                    }
                    e.getValue().addi(g);
                }
            }
            sum.values().forEach(s -> s.divi(perReplica.size()));
        } finally {
            scope.close();
        }
        return sum;
    }
}
