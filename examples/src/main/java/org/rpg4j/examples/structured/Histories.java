package org.rpg4j.examples.structured;

import java.util.ArrayList;
import java.util.List;
import org.rpg4j.examples.train.EpochMetrics;
import org.rpg4j.examples.train.TracePoint;
import org.rpg4j.examples.train.TrainingHistory;

/** Joins the training and fine-tuning phases of a structured run into one history. */
final class Histories {
    private Histories() {}

    /**
     * @param first the first phase
     * @param second the phase after it, its epochs and iterations counted from 1 and 0
     * @return one history: the second phase's epochs renumbered after the first's, iterations and
     *     elapsed seconds continued
     */
    static TrainingHistory concat(TrainingHistory first, TrainingHistory second) {
        int epochs = first.epochs().size();
        long iterations = first.iterations();
        double elapsed = first.last().elapsedSeconds();
        List<EpochMetrics> all = new ArrayList<>(first.epochs());
        for (EpochMetrics m : second.epochs()) {
            all.add(new EpochMetrics(m.epoch() + epochs, m.iteration() + iterations, m.trainLoss(), m.testAccuracy(),
                    m.sparsity(), m.meanDeltaRank(), m.learningRate(), m.imagesPerSecond(), m.elapsedSeconds()
                            + elapsed, m.layers()));
        }
        List<TracePoint> trace = new ArrayList<>(first.trace());
        for (TracePoint p : second.trace()) {
            trace.add(new TracePoint(p.iteration() + iterations, p.loss(), p.sparsity(), p.learningRate(), p
                    .imagesPerSecond()));
        }
        return new TrainingHistory(all, trace, first.trainingSeconds() + second.trainingSeconds(), first
                .evaluationSeconds() + second.evaluationSeconds(), iterations + second.iterations(), first.images()
                        + second.images());
    }
}
