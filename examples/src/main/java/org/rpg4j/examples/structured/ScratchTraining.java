package org.rpg4j.examples.structured;

import java.util.function.Consumer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.rpg4j.examples.data.BatchAssembler;
import org.rpg4j.examples.train.CosineWarmupSchedule;
import org.rpg4j.examples.train.HeavyBallSgd;
import org.rpg4j.examples.train.PruningHook;
import org.rpg4j.examples.train.Trainer;
import org.rpg4j.examples.train.TrainingHistory;
import org.rpg4j.examples.train.TrainingPlan;

/**
 * "Rethinking the value of network pruning" (Liu et al., ICLR 2019): the shrunk architecture
 * re-initialised (the configuration's weight initialisation and seed) and trained with its own cosine
 * schedule, the same recipe as the original training otherwise.
 */
final class ScratchTraining {
    private ScratchTraining() {}

    /**
     * @param shrunk the shrunk network whose architecture is retrained (not modified)
     * @param schedule the scratch phase's learning rate by iteration
     * @param momentum heavy-ball momentum
     * @return a new, initialised network of the same architecture with fresh weights, iteration 0 and
     *     {@code schedule}
     */
    static ComputationGraph reinitialise(ComputationGraph shrunk, CosineWarmupSchedule schedule, double momentum) {
        ComputationGraphConfiguration conf = shrunk.getConfiguration().clone();
        conf.setIterationCount(0);
        conf.setEpochCount(0);
        HeavyBallSgd updater = new HeavyBallSgd(schedule, momentum);
        for (GraphVertex v : conf.getVertices().values()) {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BaseLayer layer) {
                layer.setIUpdater(updater);
                layer.setBiasUpdater(null);
            }
        }
        ComputationGraph fresh = new ComputationGraph(conf);
        fresh.init();
        return fresh;
    }

    /**
     * Trains a network made by {@link #reinitialise}.
     *
     * @param fresh the re-initialised network; trained in place
     * @param train training batches
     * @param test test batches
     * @param plan the scratch phase's plan
     * @param schedule the schedule {@code fresh} was built with, for progress lines
     * @param out where progress goes
     * @return what training measured
     */
    static TrainingHistory train(ComputationGraph fresh, BatchAssembler train, BatchAssembler test, TrainingPlan plan,
                                 CosineWarmupSchedule schedule, Consumer<String> out) {
        return new Trainer(fresh, train, test, plan, schedule, PruningHook.none(), out).run();
    }
}
