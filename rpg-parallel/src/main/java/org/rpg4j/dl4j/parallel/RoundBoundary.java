package org.rpg4j.dl4j.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.dl4j.DetachedRun;
import org.rpg4j.dl4j.ReplicaTensors;
import org.rpg4j.dl4j.distributed.TopologyRound;
import org.rpg4j.prune.Pruner;
import org.rpg4j.prune.RankStep;
import org.rpg4j.prune.UpdateSummary;

/**
 * Runs on ParallelWrapper's main thread between rounds, installed as its model-parameters supplier
 * (called before each round's data is handed out, after the previous round's parameter averaging,
 * while every worker waits): completes the previous round's topology update and plans the next
 * round. Returns null, so ParallelWrapper itself pushes nothing.
 *
 * <p>Before the first round of each {@code fit} it waits for every worker's replica and copies the
 * root into it (ParallelWrapper starts worker 0 on the root while the others may still be copying it).
 *
 * <p>An update round u: every replica starts it with the same (averaged) weights and captures its
 * dense gradient at them; after the round, the root's weights and updater state are put back to
 * their values at the start of the round when the reference skips the step (an update that
 * regrows), one topology update runs on the root with the replicas' mean gradient, and the root's
 * parameters, updater state and masks are copied to every replica before round u + 1.
 *
 * <p>In {@code SHARED_GRADIENTS} mode ({@link SharedRounds}) the replicas keep their own updater
 * state: after a topology update only the root's parameters are copied to them, each replica's
 * updater state is masked (and reverted to its own start-of-round value when the step is
 * skipped), and the workers mask their encoder residuals.
 */
final class RoundBoundary implements Supplier<INDArray> {
    private static final long REPLICA_TIMEOUT_MILLIS = 120_000;
    private final DetachedRun run;
    private final Replicas replicas;
    private final RoundCosts costs = new RoundCosts();
    private final RootUpdater rootUpdater;
    private final SharedRounds shared;
    private volatile RoundPlan plan;
    private volatile boolean fitting;
    private boolean firstRound;
    private TrainingListener listener;
    private INDArray paramsAtStart;
    private INDArray stateAtStart;
    private UpdateSummary lastUpdate;

    /**
     * @param run the pruning run
     * @param replicas the wrapper's replicas
     * @param shared the shared-gradient support, or null in averaging mode
     */
    RoundBoundary(DetachedRun run, Replicas replicas, SharedRounds shared) {
        this.run = run;
        this.replicas = replicas;
        this.shared = shared;
        this.rootUpdater = new RootUpdater(run.network());
    }

    /** Called by ParallelWrapper before each round. */
    @Override
    public INDArray get() {
        if (!fitting) {
            throw new IllegalStateException("this ParallelWrapper carries rpg4j pruning: train it with "
                    + "ParallelRun.fit(iterator), not ParallelWrapper.fit, so that the last round's topology update "
                    + "completes before fit returns");
        }
        long start = System.nanoTime();
        if (firstRound) {
            replicas.syncNewReplicas(listener, REPLICA_TIMEOUT_MILLIS);
            firstRound = false;
        }
        long updateStart = System.nanoTime();
        completeRound();
        long updateEnd = System.nanoTime();
        planRound();
        // the topology update is counted by completeRound itself
        costs.boundary(System.nanoTime() - start - (updateEnd - updateStart));
        return null;
    }

    /** @return the plan of the round being trained */
    RoundPlan currentPlan() {
        RoundPlan p = plan;
        if (p == null) {
            throw new IllegalStateException("a replica of the pruned network trains outside ParallelRun.fit: "
                    + "train the network wrapped by ParallelPruning only through ParallelRun.fit");
        }
        return p;
    }

    /** Before ParallelWrapper.fit: holds the root's updater (see {@link RootUpdater}). */
    void startFit() {
        rootUpdater.hold();
        fitting = true;
        firstRound = true;
    }

    /** @param listener rpg4j's replica listener, which marks a replica as fully built */
    void listener(TrainingListener listener) {
        this.listener = listener;
    }

    /**
     * After ParallelWrapper.fit returned (its copies are closed): gives the root its updater back and
     * completes the last round's update.
     */
    void endFit() {
        fitting = false;
        try {
            rootUpdater.reinstate();
            replicas.dropCopies();
            completeRound();
        } finally {
            plan = null;
            replicas.dropCopies();
            if (shared != null) {
                shared.endFit();
            }
        }
    }

    private void completeRound() {
        RoundPlan done = plan;
        plan = null;
        if (done == null || !done.capture()) {
            return;
        }
        long start = System.nanoTime();
        List<Replicas.Replica> contributors = replicas.takeCaptured();
        if (contributors.isEmpty()) {
            throw new IllegalStateException("no replica captured its gradient at update iteration " + done.iteration());
        }
        if (run.skipsStepAtUpdate()) {
            run.network().params().assign(paramsAtStart);
            if (stateAtStart != null) {
                updaterState(run.network()).assign(stateAtStart);
            }
        }
        List<Map<String, INDArray>> captured = new ArrayList<>();
        contributors.forEach(r -> captured.add(r.tensors().captured()));
        // averaging: the root's parameters, updater state and masks go to every replica; shared
        // gradients: each replica keeps its own updater state (SharedRounds)
        List<ReplicaTensors> pushTo = shared == null ? replicas.others() : List.of();
        lastUpdate = TopologyRound.run(run, done.iteration(), replicas.root(), captured, pushTo);
        if (shared != null) {
            shared.afterTopologyUpdate(run.network(), replicas.others(), run.skipsStepAtUpdate());
        }
        costs.update(System.nanoTime() - start);
    }

    private void planRound() {
        Pruner pruner = run.pruner();
        long p = run.nextIteration();
        boolean update = p >= 0 && pruner.isUpdateIteration(p);
        boolean stepTaken = !update || !run.skipsStepAtUpdate();
        boolean rank = p >= 0 && (pruner.addsRankGradient(p)
                || (update && stepTaken && pruner.config().rankLoss().enabled()));
        RankStep step = rank ? pruner.rankStep(replicas.root().weights()) : null;
        if (update && run.skipsStepAtUpdate()) {
            paramsAtStart = run.network().params().dup();
            INDArray state = updaterState(run.network());
            stateAtStart = state == null ? null : state.dup();
            if (shared != null) {
                shared.saveStates(replicas.others());
            }
        }
        plan = new RoundPlan(p, update, step);
    }

    private static INDArray updaterState(Model net) {
        return net instanceof MultiLayerNetwork m ? m.getUpdater(true).getStateViewArray()
                : ((ComputationGraph) net).getUpdater(true).getStateViewArray();
    }

    /** @return the last topology update, if one ran */
    Optional<UpdateSummary> lastUpdate() {
        return Optional.ofNullable(lastUpdate);
    }

    RoundCosts costs() {
        return costs;
    }

    Replicas replicas() {
        return replicas;
    }

    /** @return the shared-gradient support, or null in averaging mode */
    SharedRounds shared() {
        return shared;
    }

    /**
     * @param round a round's plan
     * @return whether rpg4j reverts that round's step afterwards (an update round whose step the
     *     reference skips)
     */
    boolean revertsStep(RoundPlan round) {
        return round.capture() && run.skipsStepAtUpdate();
    }
}
