package org.rpg4j.examples.structured;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.rpg4j.dl4j.structured.NetworkListeners;
import org.rpg4j.dl4j.structured.data.DataDrivenResult;
import org.rpg4j.dl4j.structured.data.DropNet;
import org.rpg4j.examples.datadriven.DataDrivenOptions;

/**
 * DropNet's rounds inside a structured run's training: a DL4J listener that runs round {@code r} of
 * {@code R} after iteration {@code ceil(r * span / R)}, where {@code span} is the first 75 % of the
 * training iterations (the ramp of the gradual schedules), so the network trains on after the last
 * drop. {@link #finish()} runs any round training did not reach, removes the listener and shrinks the
 * network. Not thread-safe.
 */
final class DropNetRounds extends BaseTrainingListener implements DataDrivenRemoval {
    private final DataDrivenRemoval.Setting setting;
    private final DropNet dropNet;
    private final long[] roundAfter;
    private long iterations;
    private int done;
    private long nanos;
    private boolean finished;

    private DropNetRounds(DataDrivenRemoval.Setting setting, DropNet dropNet, long[] roundAfter) {
        this.setting = setting;
        this.dropNet = dropNet;
        this.roundAfter = roundAfter;
    }

    /**
     * @param s the run's setting
     * @return the rounds, attached to the network (after DropNet's own masking listener)
     * @throws IllegalArgumentException naming {@code --dropnet-rounds} if there are more rounds than
     *     iterations in the first 75 % of training
     */
    static DropNetRounds attach(DataDrivenRemoval.Setting s) {
        int rounds = s.options().resolvedDropnetRounds();
        long span = Math.max(1, (long) (StructuredExampleRun.GRADUAL_RAMP_FRACTION * s.trainingIterations()));
        if (rounds > span) {
            throw new IllegalArgumentException("--dropnet-rounds " + rounds + " needs at least one training iteration "
                    + "per round in the first 75 % of training, which has " + span + " iterations: give at most "
                    + span + " rounds or train longer");
        }
        long[] after = new long[rounds];
        for (int r = 1; r <= rounds; r++) {
            after[r - 1] = (r * span + rounds - 1) / rounds; // ceil(r * span / rounds)
        }
        DropNet d = DropNet.attach(s.net(), s.config(), rounds, s.options().resolvedDropnetWeights());
        DropNetRounds listener = new DropNetRounds(s, d, after);
        s.net().addListeners(listener);
        return listener;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        iterations++;
        while (!finished && done < roundAfter.length && iterations >= roundAfter[done]) {
            round();
        }
    }

    private void round() {
        long start = System.nanoTime();
        dropNet.dropRound(setting.statistics(), setting.options().resolvedStatBatches());
        done++;
        nanos += System.nanoTime() - start;
    }

    @Override
    public Removed finish() {
        if (finished) {
            throw new IllegalStateException("the DropNet rounds were already finished");
        }
        while (done < roundAfter.length) {
            round();
        }
        finished = true;
        NetworkListeners.of(setting.net()).remove(this);
        long start = System.nanoTime();
        DataDrivenResult r = dropNet.finish();
        nanos += System.nanoTime() - start;
        return new Removed(r.result(), DataDrivenOutcome.of(r, nanos / 1e9, done, null,
                DataDrivenOptions.WeightsConverter.cliName(setting.options().resolvedDropnetWeights())));
    }
}
