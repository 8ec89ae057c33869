package org.rpg4j.dl4j.parallel;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.ReplicaTensors;

/**
 * What rpg4j adds in ParallelWrapper's {@code SHARED_GRADIENTS} mode, where each worker keeps its
 * own updater state and its own encoder residual, and every worker applies the sum of all workers'
 * threshold-encoded updates inside the optimizer's step (after every hook but {@code iterationDone}).
 *
 * <ul>
 *   <li>On each worker's thread, every iteration: the residual is multiplied by the masks before
 *       the encoder sees it ({@code onGradientCalculation}, after the gradient was masked and before
 *       the updater) and again after the step ({@code iterationDone}). With the gradient and the
 *       updater state zero at pruned positions, the update is zero there too, so no worker ever
 *       encodes a pruned position and the shared update leaves pruned weights at 0.0.
 *   <li>At a topology update (main thread, every worker idle): the root's parameters are copied to
 *       every other replica (they are equal already, unless the root's step was reverted), each
 *       replica keeps its own updater state (reverted to its own start-of-round value if the step is
 *       skipped), and weights and updater state are masked on every replica.
 *   <li>When the step of an update round is skipped: each worker's residual is saved on its own
 *       thread before that round's update reaches it, and restored (then masked) on the same thread
 *       before its next encoding.
 * </ul>
 *
 * Residual methods run on worker threads; the others on the main thread while the workers wait.
 */
final class SharedRounds {
    private final SharedResiduals residuals;
    private final Map<Integer, Optional<INDArray>> residualAtStart = new ConcurrentHashMap<>();
    private final Set<Integer> restorePending = ConcurrentHashMap.newKeySet();
    private final Map<ReplicaTensors, INDArray> stateAtStart = new IdentityHashMap<>();

    SharedRounds(SharedResiduals residuals) {
        this.residuals = residuals;
    }

    /**
     * Worker thread, after the gradient was masked and before the updater and the encoder: restores
     * the residual saved before a skipped step, saves it if this round's step will be skipped, and
     * masks it.
     *
     * @param replica the calling worker's replica
     * @param skippedRound whether this round is an update round whose step rpg4j reverts afterwards
     */
    void beforeEncoding(Replicas.Replica replica, boolean skippedRound) {
        INDArray residual = residuals.current();
        if (restorePending.remove(replica.worker())) {
            Optional<INDArray> saved = residualAtStart.remove(replica.worker());
            if (residual != null) {
                if (saved != null && saved.isPresent()) {
                    residual.assign(saved.get());
                } else {
                    residual.assign(0.0);
                }
            }
        }
        if (skippedRound) {
            residualAtStart.put(replica.worker(), Optional.ofNullable(residual).map(SharedRounds::detachedCopy));
        }
        if (residual != null) {
            replica.tensors().maskFlatInPlace(residual);
        }
    }

    /** Worker thread, after the step: masks the residual (exactly 0.0 at pruned positions after every iteration). */
    void afterStep(Replicas.Replica replica) {
        INDArray residual = residuals.current();
        if (residual != null) {
            replica.tensors().maskFlatInPlace(residual);
        }
    }

    /**
     * Main thread, before an update round whose step will be reverted: saves every replica's updater state.
     *
     * @param replicas every replica but the root (the root's state is saved by {@link RoundBoundary})
     */
    void saveStates(List<ReplicaTensors> replicas) {
        stateAtStart.clear();
        for (ReplicaTensors r : replicas) {
            INDArray state = updaterState(r.model());
            if (state != null) {
                stateAtStart.put(r, detachedCopy(state));
            }
        }
    }

    /**
     * Main thread, after the topology update ran on the root: copies the root's parameters to every
     * other replica, puts back each replica's own updater state if the step was reverted, masks
     * weights and updater state on every replica, and asks every worker that saved its residual to
     * restore it before its next encoding.
     *
     * @param root the root network (already masked)
     * @param others every other replica of the current fit
     * @param reverted whether the update round's step was reverted
     */
    void afterTopologyUpdate(Model root, List<ReplicaTensors> others, boolean reverted) {
        for (ReplicaTensors r : others) {
            r.model().params().assign(root.params());
            INDArray saved = stateAtStart.get(r);
            if (reverted && saved != null) {
                updaterState(r.model()).assign(saved);
            }
            r.maskWeightsAndState();
        }
        stateAtStart.clear();
        if (reverted) {
            restorePending.addAll(residualAtStart.keySet());
        } else {
            residualAtStart.clear();
        }
    }

    /** After a fit: DL4J discarded every residual ({@code reset()}) and closed the copies. */
    void endFit() {
        residualAtStart.clear();
        restorePending.clear();
        stateAtStart.clear();
    }

    private static INDArray detachedCopy(INDArray a) {
        MemoryWorkspace scope = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
        try {
            return a.dup();
        } finally {
            scope.close();
        }
    }

    private static INDArray updaterState(Model net) {
        return net instanceof MultiLayerNetwork m ? m.getUpdater(true).getStateViewArray()
                : ((ComputationGraph) net).getUpdater(true).getStateViewArray();
    }
}
