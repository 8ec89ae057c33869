package org.rpg4j.examples.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.rpg4j.examples.train.Method;
import org.rpg4j.examples.train.PruningHook;
import org.rpg4j.examples.train.PruningHooks;
import org.rpg4j.examples.train.Trainer;

/**
 * Checkpointing of one example run: finds the checkpoint to resume from ({@code --resume}), checks
 * that the run's options are the checkpointed run's, loads its network and pruning, and connects the
 * {@link Trainer} to a {@link RunCheckpointer} writing to {@code <output>/}{@value #DIRECTORY}.
 */
public final class CheckpointSession {
    /** Subdirectory of a run's output directory that holds its checkpoints. */
    public static final String DIRECTORY = "checkpoints";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final CheckpointPolicy policy;
    private final String optionsJson;
    private final Consumer<String> out;
    private final Path resumedRun;
    private final CheckpointStore.Valid checkpoint;

    private CheckpointSession(CheckpointPolicy policy, String optionsJson, Consumer<String> out, Path resumedRun,
                              CheckpointStore.Valid checkpoint) {
        this.policy = policy;
        this.optionsJson = optionsJson;
        this.out = out;
        this.resumedRun = resumedRun;
        this.checkpoint = checkpoint;
    }

    /**
     * @param policy when to write checkpoints
     * @param resume the {@code --resume} directory, or null to start afresh
     * @param options every training option by name ({@code Options.asMap()}); a resumed run must match them
     * @param out progress and warnings (a skipped damaged checkpoint is reported here, naming the file)
     * @return the session
     * @throws IllegalArgumentException if {@code resume} holds no checkpoint, or the options differ from
     *     the checkpointed run's (naming each differing option)
     * @throws IllegalStateException if {@code resume} holds checkpoints but none is valid
     * @throws IOException if a directory or the options file cannot be read
     */
    public static CheckpointSession open(CheckpointPolicy policy, Path resume, Map<String, Object> options,
                                         Consumer<String> out) throws IOException {
        return open(policy, resume, options, Map.of(), out);
    }

    /**
     * As {@link #open(CheckpointPolicy, Path, Map, Consumer)}, except that an option the checkpointed run
     * did not have (one added to rpg4j since) is accepted when its value is the default: the older run
     * behaved as the default does.
     *
     * @param policy when to write checkpoints
     * @param resume the {@code --resume} directory, or null to start afresh
     * @param options every training option by name ({@code Options.asMap()}); a resumed run must match them
     * @param defaults every option's default by the same names ({@code new Options().asMap()})
     * @param out progress and warnings (a skipped damaged checkpoint is reported here, naming the file)
     * @return the session
     * @throws IllegalArgumentException if {@code resume} holds no checkpoint, or the options differ from
     *     the checkpointed run's (naming each differing option)
     * @throws IllegalStateException if {@code resume} holds checkpoints but none is valid
     * @throws IOException if a directory or the options file cannot be read
     */
    public static CheckpointSession open(CheckpointPolicy policy, Path resume, Map<String, Object> options,
                                         Map<String, Object> defaults, Consumer<String> out) throws IOException {
        String json = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(options);
        if (resume == null) {
            return new CheckpointSession(policy, json, out, null, null);
        }
        Path run = resume.toAbsolutePath().normalize();
        Path store = run.resolve(DIRECTORY);
        if (!Files.isDirectory(store) && CheckpointStore.hasCheckpoints(run)) {
            store = run;
            run = run.getParent();
        }
        if (!CheckpointStore.hasCheckpoints(store)) {
            throw new IllegalArgumentException("--resume " + resume + ": no checkpoint there (expected " + store
                    + "/ckpt-<iteration>; a run writes them with --checkpoint-every N or --checkpoint-minutes M)");
        }
        CheckpointStore.Valid valid = new CheckpointStore(store, 1, WriteProbe.NONE).newestValid(out).orElseThrow();
        requireSameOptions(resume, valid, MAPPER.readTree(json), MAPPER.valueToTree(defaults));
        warnIfOtherThreadCount(valid, out);
        out.accept("resuming from " + valid.directory() + " (iteration " + valid.manifest().iteration() + ")");
        return new CheckpointSession(policy, json, out, run, valid);
    }

    /** @return the resumed run's output directory, if resuming */
    public Optional<Path> resumedRunDirectory() {
        return Optional.ofNullable(resumedRun);
    }

    /**
     * @param method the run's method
     * @return the checkpoint's network and pruning when resuming, else empty
     * @throws IOException if the model zip cannot be read
     */
    public Optional<PruningHooks.Restored> restore(Method method) throws IOException {
        if (checkpoint == null) {
            return Optional.empty();
        }
        return Optional.of(PruningHooks.restore(method, checkpoint.file(RunCheckpointer.MODEL)));
    }

    /**
     * Resumes the trainer's state (when resuming) and makes it write checkpoints (when the policy asks
     * for any) to {@code <output>/}{@value #DIRECTORY}.
     *
     * @param trainer the run's trainer, not yet run
     * @param output the run's output directory
     * @param net the network being trained (from {@link #restore} when resuming)
     * @param pruning its pruning
     * @throws IOException if the checkpoint's trainer state cannot be read
     * @throws IllegalArgumentException if that state does not fit the run's plan
     */
    public void attach(Trainer trainer, Path output, ComputationGraph net, PruningHook pruning) throws IOException {
        if (checkpoint != null) {
            trainer.resumeFrom(TrainerStateFile.read(checkpoint.file(TrainerStateFile.FILE_NAME)));
        }
        if (policy.enabled()) {
            CheckpointStore store = new CheckpointStore(output.resolve(DIRECTORY), policy.keep(),
                    WriteProbe.fromSystemProperties());
            trainer.checkpoints(new RunCheckpointer(store, policy, net, pruning, optionsJson, out));
        }
    }

    private static void requireSameOptions(Path resume, CheckpointStore.Valid valid, JsonNode now, JsonNode defaults)
            throws IOException {
        JsonNode saved = MAPPER.readTree(Files.readString(valid.file(RunCheckpointer.OPTIONS), StandardCharsets.UTF_8));
        List<String> differences = differences(saved, now, defaults);
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("--resume " + resume + ": give the options of the checkpointed run "
                    + "unchanged; this command differs in " + String.join(", ", differences));
        }
    }

    /**
     * @param saved the checkpointed run's options by name
     * @param now this command's options by the same names
     * @param defaults every option's default (an option absent from {@code saved} may take it)
     * @return each difference as {@code "--option value (the checkpointed run had ...)"}, in {@code saved}'s
     *     then {@code now}'s order; empty when the run may resume
     */
    static List<String> differences(JsonNode saved, JsonNode now, JsonNode defaults) {
        List<String> differences = new ArrayList<>();
        for (Iterator<String> names = saved.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!saved.get(name).equals(now.get(name))) {
                differences.add(optionName(name) + " " + now.get(name) + " (the checkpointed run had "
                        + saved.get(name) + ")");
            }
        }
        for (Iterator<String> names = now.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!saved.has(name) && !now.get(name).equals(defaults.get(name))) {
                differences.add(optionName(name) + " " + now.get(name) + " (the checkpointed run did not have it)");
            }
        }
        return differences;
    }

    /**
     * ND4J splits reductions and matrix products by its thread count, so the order of float additions,
     * and with it the last bits of the weights, depends on it: measured on the small CNN, 1 and 2
     * threads differ after 32 iterations (see docs/reliability.md). A resume is bit-identical only with
     * the checkpointed run's count; with another it continues correctly, but not bit for bit.
     */
    private static void warnIfOtherThreadCount(CheckpointStore.Valid valid, Consumer<String> out) throws IOException {
        String saved = Files.readString(valid.file(RunCheckpointer.THREADS), StandardCharsets.UTF_8).trim();
        int now = org.nd4j.linalg.factory.Nd4j.getEnvironment().maxThreads();
        if (!saved.equals(Integer.toString(now))) {
            out.accept("WARNING: the checkpointed run used " + saved + " ND4J threads, this process uses " + now
                    + " (OMP_NUM_THREADS): training continues correctly but not bit-identically");
        }
    }

    /** {@code batchSize} to {@code --batch-size}: the option names of the examples' command line. */
    static String optionName(String key) {
        return "--" + key.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
