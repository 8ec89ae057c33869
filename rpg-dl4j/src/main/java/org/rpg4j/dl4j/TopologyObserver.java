package org.rpg4j.dl4j;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Sees the inputs of each topology update just before it runs (tests use it; arrays must not be modified). */
interface TopologyObserver {
    /**
     * @param iteration the pruning iteration (0-based, from attach)
     * @param weights tensor name to weights, as they were before the skipped step
     * @param denseGradients tensor name to the captured dense gradient (batch-mean scale)
     */
    void beforeTopologyUpdate(long iteration, Map<String, INDArray> weights, Map<String, INDArray> denseGradients);
}
