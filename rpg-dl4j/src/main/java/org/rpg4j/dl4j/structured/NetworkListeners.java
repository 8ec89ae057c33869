package org.rpg4j.dl4j.structured;

import java.util.Collection;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;

/** The live listener collection of a network: DL4J's {@code Model} interface has no getter for it. */
public final class NetworkListeners {
    private NetworkListeners() {
    }

    /**
     * @param net a {@link MultiLayerNetwork} or a {@link ComputationGraph}
     * @return its listener collection itself (not a copy): removing from it detaches a listener
     * @throws ClassCastException if {@code net} is neither
     */
    public static Collection<TrainingListener> of(Model net) {
        if (net instanceof MultiLayerNetwork mln) {
            return mln.getListeners();
        }
        return ((ComputationGraph) net).getListeners();
    }
}
