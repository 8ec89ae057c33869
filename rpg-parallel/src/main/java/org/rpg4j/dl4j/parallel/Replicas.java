package org.rpg4j.dl4j.parallel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.trainer.Trainer;
import org.rpg4j.dl4j.ReplicaTensors;
import org.rpg4j.dl4j.distributed.ReplicaPush;
import org.rpg4j.prune.Pruner;

/**
 * The replicas of the current {@code fit}, each with its worker index in ParallelWrapper's trainer
 * array (worker 0 trains the root network itself, the others train copies built from the
 * configuration JSON), and those that captured a gradient in the current round. Replicas register
 * on their own threads the first time they compute a gradient; all methods are synchronized.
 */
final class Replicas {
    /**
     * @param worker the worker index in ParallelWrapper's trainer array ({@code 0} is the root)
     * @param tensors the replica's tensors
     */
    record Replica(int worker, ReplicaTensors tensors) {}

    private final ParallelWrapper wrapper;
    private final Pruner pruner;
    private final Replica root;
    private final Map<Model, Replica> byModel = new IdentityHashMap<>();
    private final TreeMap<Integer, Replica> capturedThisRound = new TreeMap<>();

    Replicas(ParallelWrapper wrapper, Pruner pruner, ReplicaTensors root) {
        this.wrapper = wrapper;
        this.pruner = pruner;
        this.root = new Replica(0, root);
        byModel.put(root.model(), this.root);
    }

    /** @return the replica training {@code model}, registered (and masked) on first sight */
    synchronized Replica of(Model model) {
        Replica r = byModel.get(model);
        if (r == null) {
            r = new Replica(workerOf(model), ReplicaTensors.bind(model, pruner));
            byModel.put(model, r);
        }
        return r;
    }

    private int workerOf(Model model) {
        Trainer[] zoo = wrapper.getZoo();
        for (int i = 0; zoo != null && i < zoo.length; i++) {
            if (zoo[i] != null && zoo[i].getModel() == model) {
                return i;
            }
        }
        throw new IllegalStateException("a network that is not one of this ParallelWrapper's replicas ("
                + model.getClass().getSimpleName() + ") trains with rpg4j's replica listener: train the root "
                + "network only through ParallelRun.fit");
    }

    /**
     * Waits until every worker of the wrapper has built its replica, registers each and copies the
     * root's parameters, updater state and masks into it. Called on the main thread before the first
     * round of a {@code fit}: ParallelWrapper starts worker 0 on the root while the other workers may
     * still be copying it, so without this the copies can start from a partly trained root.
     *
     * <p>A worker {@code i >= 1} has built its replica when its trainer's model is a network other
     * than the root (DL4J's {@code DefaultTrainerContext} creates every trainer with the root as its
     * model, and the trainer's thread replaces it by a copy built from the configuration JSON) and
     * that network carries rpg4j's listener (set after the root's parameters and updater state were
     * copied into it). Waiting for the listener alone is not enough: the root carries it too.
     *
     * @param listener rpg4j's replica listener
     * @param timeoutMillis how long to wait for all replicas
     * @throws IllegalStateException if a worker has not built its replica in time
     */
    void syncNewReplicas(TrainingListener listener, long timeoutMillis) {
        Trainer[] zoo = wrapper.getZoo();
        Model rootModel = root.tensors().model();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        for (int i = 1; zoo != null && i < zoo.length; i++) {
            Model m = zoo[i].getModel();
            while (m == null || m == rootModel || !listenersOf(m).contains(listener)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("ParallelWrapper worker " + i + " did not build its replica within "
                            + timeoutMillis + " ms");
                }
                LockSupport.parkNanos(100_000L);
                m = zoo[i].getModel();
            }
            ReplicaPush.push(root.tensors().model(), of(m).tensors());
        }
    }

    private static Collection<TrainingListener> listenersOf(Model m) {
        Collection<TrainingListener> l = m instanceof MultiLayerNetwork n ? n.getListeners()
                : ((ComputationGraph) m).getListeners();
        return l == null ? List.of() : l;
    }

    synchronized void captured(Replica replica) {
        capturedThisRound.put(replica.worker(), replica);
    }

    /** @return the replicas that captured a gradient this round, by worker index; clears the record */
    synchronized List<Replica> takeCaptured() {
        List<Replica> out = new ArrayList<>(capturedThisRound.values());
        capturedThisRound.clear();
        return out;
    }

    /** @return every registered replica except the root */
    synchronized List<ReplicaTensors> others() {
        List<ReplicaTensors> out = new ArrayList<>();
        byModel.values().stream().filter(r -> r != root).sorted((a, b) -> Integer.compare(a.worker(), b.worker()))
                .forEach(r -> out.add(r.tensors()));
        return out;
    }

    /**
     * Forgets every replica but the root (ParallelWrapper closes its copies at the end of {@code fit});
     * gradients they captured stay readable until {@link #takeCaptured}.
     */
    synchronized void dropCopies() {
        byModel.clear();
        byModel.put(root.tensors().model(), root);
    }

    ReplicaTensors root() {
        return root.tensors();
    }
}
