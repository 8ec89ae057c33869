package org.rpg4j.examples.structured;

import java.util.List;
import org.rpg4j.dl4j.activations.ActivationStatistics;
import org.rpg4j.dl4j.structured.data.DataDrivenResult;

/**
 * What a data-driven method ({@code hrank}, {@code dropnet}, {@code channel-pruning}) measured and
 * what that cost, for results.json ({@code "structured"} / {@code "dataDriven"}).
 *
 * @param statisticBatches batches read per collection (the last collection, for DropNet)
 * @param statisticImages images read per collection
 * @param statisticMsPerBatch mean wall time per batch of the last collection (forward pass and
 *     accumulation), in milliseconds
 * @param statisticRetainedBytes bytes the last collection kept (per-channel arrays, patch reservoirs)
 * @param seconds wall time of choosing and removing the channels: every collection, the selection,
 *     the refit (Channel Pruning) and the shrinking; for DropNet all rounds and the final shrink
 * @param collections statistics collections run (1, or the rounds of DropNet)
 * @param samples patch rows sampled per layer (Channel Pruning), else null
 * @param weights {@code keep} or {@code reset} (DropNet), else null
 * @param unscored {@code "group (n channels): reason"} for each prunable group the method left whole
 */
public record DataDrivenOutcome(int statisticBatches, long statisticImages, double statisticMsPerBatch,
                                long statisticRetainedBytes, double seconds, int collections, Integer samples,
                                String weights, List<String> unscored) {
    /**
     * Copies the list.
     *
     * @param statisticBatches batches read per collection
     * @param statisticImages images read per collection
     * @param statisticMsPerBatch mean wall time per batch of the last collection, in milliseconds
     * @param statisticRetainedBytes bytes the last collection kept
     * @param seconds wall time of choosing and removing the channels
     * @param collections statistics collections run
     * @param samples patch rows sampled per layer (Channel Pruning), else null
     * @param weights {@code keep} or {@code reset} (DropNet), else null
     * @param unscored the groups left whole, with the reason
     */
    public DataDrivenOutcome {
        unscored = List.copyOf(unscored);
    }

    /**
     * @param result what the method returned
     * @param seconds wall time of choosing and removing the channels
     * @param collections statistics collections run
     * @param samples patch rows sampled per layer, or null
     * @param weights {@code keep} or {@code reset}, or null
     * @return the outcome
     */
    static DataDrivenOutcome of(DataDrivenResult result, double seconds, int collections, Integer samples,
                                String weights) {
        ActivationStatistics s = result.statistics();
        return new DataDrivenOutcome(s.batches(), s.images(), s.nanosPerBatch() / 1e6, s.retainedBytes(), seconds,
                collections, samples, weights, result.unscored());
    }
}
