package org.rpg4j.dl4j.parallel;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * The listener ParallelWrapper hands to every replica (the root included): in
 * {@code onGradientCalculation} (after backprop, before the updater) the replica captures its dense
 * gradient when the round asks for it, adds the round's rank step and masks its gradient; in
 * {@code iterationDone} it masks its update view and weights, so that its pruned weights are exactly
 * 0.0 after every iteration. In {@code SHARED_GRADIENTS} mode it also masks the worker's encoder
 * residual at both points ({@link SharedRounds}). One instance serves all replicas, each on its own
 * thread.
 */
final class ReplicaListener extends BaseTrainingListener {
    private final RoundBoundary boundary;

    ReplicaListener(RoundBoundary boundary) {
        this.boundary = boundary;
    }

    @Override
    public void onGradientCalculation(Model model) {
        RoundPlan plan = boundary.currentPlan();
        Replicas.Replica replica = boundary.replicas().of(model);
        replica.tensors().beforeUpdater(plan.capture(), plan.rank());
        if (plan.capture()) {
            boundary.replicas().captured(replica);
        }
        SharedRounds shared = boundary.shared();
        if (shared != null) {
            shared.beforeEncoding(replica, boundary.revertsStep(plan));
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        boundary.currentPlan();
        Replicas.Replica replica = boundary.replicas().of(model);
        replica.tensors().afterStep();
        SharedRounds shared = boundary.shared();
        if (shared != null) {
            shared.afterStep(replica);
        }
    }

    @Override
    public String toString() {
        return "rpg4j ReplicaListener";
    }
}
