package org.rpg4j.examples.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.examples.train.CheckpointTrigger;
import org.rpg4j.examples.train.PruningHook;
import org.rpg4j.examples.train.TrainerState;

/**
 * Writes a checkpoint of a running example whenever its {@link CheckpointPolicy} says one is due:
 * {@value #MODEL} (network, updater state, masks and pruner state, through {@link PruningHook#save}),
 * {@value TrainerStateFile#FILE_NAME} (the {@link TrainerState}), {@value #OPTIONS} (the run's
 * options, to refuse resuming with different ones) and {@value #THREADS} (ND4J's thread count),
 * atomically through a {@link CheckpointStore}.
 */
final class RunCheckpointer implements CheckpointTrigger {
    /** The model zip inside a checkpoint. */
    static final String MODEL = "model.zip";
    /** The run's options inside a checkpoint. */
    static final String OPTIONS = "options.json";
    /** ND4J's thread count inside a checkpoint (float sums depend on it: see {@link CheckpointSession}). */
    static final String THREADS = "threads.txt";

    private final CheckpointStore store;
    private final CheckpointPolicy policy;
    private final ComputationGraph net;
    private final PruningHook pruning;
    private final String optionsJson;
    private final Consumer<String> out;
    private long lastNanos = System.nanoTime();

    RunCheckpointer(CheckpointStore store, CheckpointPolicy policy, ComputationGraph net, PruningHook pruning,
                    String optionsJson, Consumer<String> out) {
        this.store = store;
        this.policy = policy;
        this.net = net;
        this.pruning = pruning;
        this.optionsJson = optionsJson;
        this.out = out;
    }

    @Override
    public void offer(long iteration, Supplier<TrainerState> state) {
        long now = System.nanoTime();
        if (!policy.due(iteration, (now - lastNanos) / 1e9)) {
            return;
        }
        try {
            Path written = store.write(iteration, dir -> {
                pruning.save(net, dir.resolve(MODEL));
                TrainerStateFile.write(state.get(), dir.resolve(TrainerStateFile.FILE_NAME));
                Files.writeString(dir.resolve(OPTIONS), optionsJson, StandardCharsets.UTF_8);
                Files.writeString(dir.resolve(THREADS), Nd4j.getEnvironment().maxThreads() + "\n",
                        StandardCharsets.UTF_8);
            });
            lastNanos = System.nanoTime();
            out.accept(String.format(Locale.ROOT, "checkpoint: %s (%.1f s)", written, (lastNanos - now) / 1e9));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint of iteration " + iteration + " to "
                    + store.directory() + ": " + e.getMessage(), e);
        }
    }
}
