package org.rpg4j.dl4j.structured;

import org.deeplearning4j.nn.api.Model;
import org.rpg4j.structured.ChannelCriterion;

/**
 * A structured pruning run attached to a network that trains ({@link StructuredPruning#attach}):
 * the network trains as usual; {@link #finish()} removes the criterion's training hook (if any),
 * scores the channels with the trained weights and returns the smaller network. Not thread-safe.
 */
public final class StructuredRun {
    private final Model net;
    private final StructuredConfig config;
    private final ChannelCriterion criterion;
    private boolean finished;

    StructuredRun(Model net, StructuredConfig config, ChannelCriterion criterion) {
        this.net = net;
        this.config = config;
        this.criterion = criterion;
    }

    /** @return the network being trained (not the pruned one) */
    public Model network() {
        return net;
    }

    /** @return the configuration */
    public StructuredConfig config() {
        return config;
    }

    /**
     * @return the pruned network and its report (the trained network is left as it is, without hooks)
     * @throws IllegalStateException if already finished
     */
    public StructuredResult finish() {
        if (finished) {
            throw new IllegalStateException("this structured run is already finished");
        }
        finished = true;
        if (criterion instanceof TrainingHook hook) {
            hook.remove(net);
        }
        return StructuredPruning.prune(net, config);
    }

    /** @return whether {@link #finish()} was called */
    public boolean isFinished() {
        return finished;
    }
}
