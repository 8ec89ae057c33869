package org.rpg4j.dl4j.distributed;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.DetachedRun;
import org.rpg4j.dl4j.ReplicaTensors;
import org.rpg4j.prune.UpdateSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One topology update for all replicas, run in one place (between rounds, or on the driver): the
 * dense gradients captured on the replicas are averaged ({@link GradientAverage}), the pruner
 * updates the masks from the root's weights and that average (its rank loss is computed once, on
 * the root's weights), the root's pruned weights and their updater state are zeroed, and the
 * result is pushed to every other replica ({@link ReplicaPush}).
 */
public final class TopologyRound {
    private static final Logger LOG = LoggerFactory.getLogger(TopologyRound.class);

    private TopologyRound() {}

    /**
     * @param run the run whose pruner decides
     * @param iteration the pruning iteration the gradients were captured at (an update iteration)
     * @param root the root network's tensors; its weights must be those the replicas had when they
     *     captured; modified (masks, weights, updater state)
     * @param captured each contributing replica's captured gradients, in a fixed replica order
     * @param replicas the replicas to push the result to (the root may be among them); modified
     * @return what the update did
     * @throws IllegalArgumentException if {@code iteration} is not an update iteration or the
     *     gradients do not fit the tensors (see {@code Pruner.updateTopology})
     */
    public static UpdateSummary run(DetachedRun run, long iteration, ReplicaTensors root,
                                    List<Map<String, INDArray>> captured, List<ReplicaTensors> replicas) {
        UpdateSummary summary;
        MemoryWorkspace scope = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
        try {
            Map<String, INDArray> mean = GradientAverage.mean(captured);
            summary = run.pruner().updateTopology(iteration, root.weights(), mean);
        } finally {
            scope.close();
        }
        root.maskWeightsAndState();
        for (ReplicaTensors r : replicas) {
            ReplicaPush.push(run.network(), r);
        }
        LOG.debug("topology update at iteration {} from {} replicas' gradients, pushed to {} replicas", iteration,
                captured.size(), replicas.size());
        return summary;
    }
}
