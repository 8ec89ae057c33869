package org.rpg4j.examples.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/** Dense training: nothing is attached; the model is saved with DL4J's {@link ModelSerializer}. */
final class NoPruning implements PruningHook {
    static final NoPruning INSTANCE = new NoPruning();

    private NoPruning() {}

    @Override
    public String description() {
        return Method.DENSE.description();
    }

    @Override
    public String progress() {
        return "";
    }

    @Override
    public Optional<String> configJson() {
        return Optional.empty();
    }

    @Override
    public Optional<String> reportTable() {
        return Optional.empty();
    }

    @Override
    public Optional<String> reportJson() {
        return Optional.empty();
    }

    @Override
    public void save(ComputationGraph net, Path zip) throws IOException {
        ModelSerializer.writeModel(net, zip.toFile(), true);
    }
}
