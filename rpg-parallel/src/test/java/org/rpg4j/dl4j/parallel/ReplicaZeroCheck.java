package org.rpg4j.dl4j.parallel;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.rpg4j.prune.PrunableTensor;

/**
 * A test listener on every replica, after rpg4j's: after each iteration, counts weights that are
 * not exactly 0.0 where the run's mask prunes them, reading the replica's own parameters.
 */
final class ReplicaZeroCheck extends BaseTrainingListener {
    private final ParallelRun run;
    private final Set<Model> replicas = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private final AtomicLong checks = new AtomicLong();
    private final AtomicLong violations = new AtomicLong();
    private final AtomicLong prunedSeen = new AtomicLong();
    private final AtomicReference<String> firstViolation = new AtomicReference<>();

    ReplicaZeroCheck(ParallelRun run) {
        this.run = run;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        replicas.add(model);
        checks.incrementAndGet();
        for (PrunableTensor t : run.tensors()) {
            String layer = t.name().substring(0, t.name().lastIndexOf('/'));
            String key = t.name().substring(t.name().lastIndexOf('/') + 1);
            Layer l = model instanceof MultiLayerNetwork m ? m.getLayer(layer) : ((ComputationGraph) model).getLayer(
                    layer);
            double[] w = l.getParam(key).dup('c').reshape(-1).toDoubleVector();
            double[] mask = run.mask(t.name()).dup('c').reshape(-1).toDoubleVector();
            for (int i = 0; i < w.length; i++) {
                if (mask[i] == 0.0) {
                    prunedSeen.incrementAndGet();
                    if (w[i] != 0.0) {
                        violations.incrementAndGet();
                        firstViolation.compareAndSet(null, t.name() + "[" + i + "] = " + w[i] + " at iteration "
                                + iteration);
                    }
                }
            }
        }
    }

    long checks() {
        return checks.get();
    }

    long violations() {
        return violations.get();
    }

    String firstViolation() {
        return firstViolation.get();
    }

    int replicasSeen() {
        return replicas.size();
    }

    boolean sawPruning() {
        return prunedSeen.get() > 0;
    }

}
