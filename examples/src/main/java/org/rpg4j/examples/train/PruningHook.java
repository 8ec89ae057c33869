package org.rpg4j.examples.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The one place where the examples touch pruning: attached to a network before training, asked
 * for a report and to save the model (with masks) after it. {@link #none()} is the dense baseline.
 */
public interface PruningHook {
    /** @return one line describing what is attached, for outputs */
    String description();

    /** @return a short state for progress lines, e.g. {@code update 12/20}; empty for dense training */
    String progress();

    /** @return the pruning configuration as JSON, if any */
    Optional<String> configJson();

    /** @return the pruner's per-layer report table, if any */
    Optional<String> reportTable();

    /** @return the pruner's report as JSON, if any */
    Optional<String> reportJson();

    /**
     * Saves the network, with masks and pruner state when pruning is attached.
     *
     * @param net the trained network
     * @param zip the model file to write
     * @throws IOException if the file cannot be written
     */
    void save(ComputationGraph net, Path zip) throws IOException;

    /** @return the hook of dense training: nothing attached, the model saved as plain DL4J */
    static PruningHook none() {
        return NoPruning.INSTANCE;
    }
}
