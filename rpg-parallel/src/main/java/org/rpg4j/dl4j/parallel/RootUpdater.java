package org.rpg4j.dl4j.parallel;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;

/**
 * Keeps the root network's updater (and so its updater state: Adam's moments, momentum) across one
 * {@code ParallelWrapper.fit}.
 *
 * <p>Why: at the end of every {@code fit}, ParallelWrapper (1.0.0-M2.1) shuts its trainers down, and
 * {@code DefaultTrainer.run} calls {@code clear()} on every replica, the root included.
 * {@code MultiLayerNetwork.clear()} sets its {@code solver} to null, and the solver's optimizer holds
 * the updater: the next {@code getUpdater()} builds a new updater whose state is freshly initialised
 * (zeros for Adam). So a {@code MultiLayerNetwork} trained by ParallelWrapper silently restarts its
 * updater state at every {@code fit} (every epoch), and the new solver is built, at the start of
 * the next {@code fit}, on whichever thread first asks for the updater (a worker copying the root,
 * or the main thread), possibly while worker 0 replaces the root's listeners, so the solver can
 * miss them. {@code ComputationGraph.clear()} keeps its solver; the same code path is harmless there.
 *
 * <p>{@link #hold} takes the root's current updater object before {@code fit}; {@link #reinstate}
 * puts that object back afterwards if the network dropped it. The object still owns the state view
 * and its views of the root's (unchanged) parameter and gradient arrays, so nothing is copied.
 */
final class RootUpdater {
    private final Model root;
    private Object held;

    RootUpdater(Model root) {
        this.root = root;
    }

    /** Takes the root's updater (created if absent), before {@code ParallelWrapper.fit}. */
    void hold() {
        held = root instanceof MultiLayerNetwork m ? m.getUpdater(true) : ((ComputationGraph) root).getUpdater(true);
    }

    /**
     * After {@code ParallelWrapper.fit}: if the root no longer has the held updater, gives it back
     * (a new solver is built around it, with the root's current listeners).
     *
     * @throws IllegalStateException if {@link #hold} was not called first
     */
    void reinstate() {
        if (held == null) {
            throw new IllegalStateException("hold() must run before reinstate()");
        }
        if (root instanceof MultiLayerNetwork m) {
            if (m.getUpdater(false) != held) {
                m.setUpdater((Updater) held);
            }
        } else {
            ComputationGraph g = (ComputationGraph) root;
            if (g.getUpdater(false) != held) {
                g.setUpdater((ComputationGraphUpdater) held);
            }
        }
        held = null;
    }
}
