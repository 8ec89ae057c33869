package org.rpg4j.dl4j.structured.data;

import java.util.List;
import org.rpg4j.dl4j.activations.ActivationStatistics;
import org.rpg4j.dl4j.structured.StructuredResult;

/**
 * The outcome of a data-driven structured criterion.
 *
 * @param result the smaller network, the selection and the report
 * @param statistics what the last collection measured (its cost: {@link ActivationStatistics#nanosPerBatch()},
 *     {@link ActivationStatistics#retainedBytes()})
 * @param unscored {@code "group (n channels): reason"} for each unlocked group the criterion left whole
 */
public record DataDrivenResult(StructuredResult result, ActivationStatistics statistics, List<String> unscored) {
    /**
     * Copies the list.
     *
     * @param result the smaller network, the selection and the report
     * @param statistics what the last collection measured (its cost: {@link ActivationStatistics#nanosPerBatch()}, {@link ActivationStatistics#retainedBytes()})
     * @param unscored {@code "group (n channels): reason"} for each unlocked group the criterion left whole
     */
    public DataDrivenResult {
        unscored = List.copyOf(unscored);
    }
}
