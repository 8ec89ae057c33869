package org.rpg4j.examples.structured;

import java.util.List;
import org.rpg4j.dl4j.structured.StructuredReport;

/**
 * What a structured run did and measured, for results.json ({@code "structured"}). Accuracies are
 * fractions of the test images; null where a phase did not run.
 *
 * @param criterion the channel criterion ({@code l1}, {@code l2}, {@code slimming}, {@code ssl}, ...)
 * @param scope {@code per-layer} or {@code global}
 * @param schedule {@code one-shot} or the gradual ramp
 * @param channelSparsity the requested fraction of prunable channels removed
 * @param penalty lambda of the training penalty (0 without one)
 * @param accuracyBeforePruning test accuracy of the trained network before its channels were removed
 *     (for a gradual schedule: with the channels already masked)
 * @param accuracyAfterPruning test accuracy of the shrunk network before fine-tuning
 * @param fineTuneEpochs epochs of fine-tuning
 * @param accuracyFineTuned test accuracy after fine-tuning, or null
 * @param fromScratch {@code none}, {@code scratch-e}, {@code scratch-b} or {@code both}
 * @param scratch the trainings of the shrunk architecture from scratch, in order (empty for none)
 * @param layers channels per layer before and after
 * @param lockedGroups channel groups that could not be pruned, with the reason
 * @param dataDriven what a data-driven method measured and its cost; null for the weight criteria
 */
public record StructuredOutcome(String criterion, String scope, String schedule, double channelSparsity,
                                double penalty, double accuracyBeforePruning, double accuracyAfterPruning,
                                int fineTuneEpochs, Double accuracyFineTuned, String fromScratch,
                                List<ScratchRun> scratch, List<LayerChannels> layers, List<String> lockedGroups,
                                DataDrivenOutcome dataDriven) {
    /**
     * One training of the shrunk architecture from a fresh initialisation.
     *
     * @param kind {@code scratch-e} or {@code scratch-b}
     * @param epochs epochs of that training
     * @param accuracy its final test accuracy
     */
    public record ScratchRun(String kind, int epochs, double accuracy) {}

    /**
     * Channels (output units) of one layer with parameters.
     *
     * @param layer layer name
     * @param type layer configuration class
     * @param before channels before
     * @param after channels after
     */
    public record LayerChannels(String layer, String type, long before, long after) {}

    /**
     * @param report the shrink report
     * @return its layers' channel counts
     */
    public static List<LayerChannels> channels(StructuredReport report) {
        return report.layers().stream().map(r -> new LayerChannels(r.before().layer(), r.before().type(), r.before()
                .channels(), r.after().channels())).toList();
    }
}
