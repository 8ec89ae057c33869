package org.rpg4j.examples.study;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.rpg4j.examples.ExampleRun;
import org.rpg4j.examples.checkpoint.CheckpointSession;
import org.rpg4j.examples.checkpoint.CheckpointStore;
import org.rpg4j.examples.cli.Options;
import org.rpg4j.examples.results.RunRecord;
import org.rpg4j.examples.train.Trainer;
import picocli.CommandLine;

/**
 * Runs the study's runs one after the other in this JVM, each into {@code <output>/runs/<id>/}
 * with its full progress in {@code log.txt}, and prints one line per run. A run whose {@code
 * results.json} exists is finished and skipped, so an interrupted study resumes where it stopped;
 * a run that fails leaves {@code error.txt} and the others go on. A run interrupted mid-way that
 * left checkpoints continues from its newest valid one ({@code --resume}), bit-identically.
 */
public final class StudyRunner {
    private final Path runsDirectory;
    private final List<String> checkpointArguments;
    private final Consumer<String> out;

    /**
     * Same as {@code StudyRunner(output, List.of(), out)}: runs checkpoint as the examples do by default.
     *
     * @param output the study's output directory (runs go to its {@code runs/} subdirectory)
     * @param out where the one-line-per-run progress goes
     */
    public StudyRunner(Path output, Consumer<String> out) {
        this(output, List.of(), out);
    }

    /**
     * @param output the study's output directory (runs go to its {@code runs/} subdirectory)
     * @param checkpointArguments example options added to every run, e.g. {@code --checkpoint-every 50}
     * @param out where the one-line-per-run progress goes
     */
    public StudyRunner(Path output, List<String> checkpointArguments, Consumer<String> out) {
        this.runsDirectory = output.resolve("runs");
        this.checkpointArguments = List.copyOf(checkpointArguments);
        this.out = out;
    }

    /** @return the directory of a run */
    public Path directory(StudyRun run) {
        return runsDirectory.resolve(run.id());
    }

    /** @return true if the run has finished (its {@code results.json} exists) */
    public boolean finished(StudyRun run) {
        return Files.isRegularFile(directory(run).resolve("results.json"));
    }

    /**
     * Runs every unfinished run of {@code runs} whose position {@code i} has {@code i % shardCount
     * == shardIndex}.
     *
     * @param runs the study's runs, in order
     * @param shardIndex this shard, in {@code [0, shardCount)}
     * @param shardCount number of shards running the study in parallel, at least 1
     * @return ids of the runs that failed (empty when all succeeded)
     * @throws IllegalArgumentException if the shard is out of range
     * @throws IOException if a run directory cannot be created or written
     */
    public List<String> run(List<StudyRun> runs, int shardIndex, int shardCount) throws IOException {
        if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount) {
            throw new IllegalArgumentException("shard must be i/n with n >= 1 and 0 <= i < n, got " + shardIndex
                    + "/" + shardCount);
        }
        List<StudyRun> mine = new ArrayList<>();
        for (int i = shardIndex; i < runs.size(); i += shardCount) {
            if (!finished(runs.get(i))) {
                mine.add(runs.get(i));
            }
        }
        long ownTotal = (runs.size() + shardCount - 1 - shardIndex) / shardCount;
        out.accept(String.format(Locale.ROOT, "shard %d/%d: %d runs, %d finished before, %d to run",
                shardIndex + 1, shardCount, ownTotal, ownTotal - mine.size(), mine.size()));
        List<String> failed = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < mine.size(); i++) {
            StudyRun run = mine.get(i);
            String outcome = runOne(run);
            if (outcome == null) {
                failed.add(run.id());
                outcome = "FAILED, see " + directory(run).resolve("error.txt");
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            double eta = elapsed / (i + 1) * (mine.size() - i - 1);
            out.accept(String.format(Locale.ROOT, "[%d/%d] %s: %s; shard elapsed %s, ETA %s", i + 1, mine.size(),
                    run.id(), outcome, Trainer.duration(elapsed), Trainer.duration(eta)));
        }
        return failed;
    }

    /** @return a one-line outcome, or null if the run failed */
    private String runOne(StudyRun run) throws IOException {
        Path dir = directory(run);
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve("error.txt"));
        List<String> args = new ArrayList<>(run.arguments());
        args.addAll(List.of("--output", dir.toString()));
        Path zip = null;
        if (run.startsFrom() != null) {
            zip = runsDirectory.resolve(run.startsFrom()).resolve("model.zip");
            if (!Files.isRegularFile(zip)) {
                Files.writeString(dir.resolve("error.txt"), "needs " + zip + ": run " + run.startsFrom()
                        + " first (examples/study.sh --from-dense runs the dense runs before the others)\n");
                return null;
            }
            args.addAll(List.of("--init-from", zip.toString()));
        }
        Options options = run.spec().toOptions(dir, zip);
        args.addAll(checkpointArguments);
        new CommandLine(options.checkpoints).parseArgs(checkpointArguments.toArray(new String[0]));
        boolean resume = CheckpointStore.hasCheckpoints(dir.resolve(CheckpointSession.DIRECTORY));
        if (resume) {
            args.addAll(List.of("--resume", dir.toString()));
            options.checkpoints.resume = dir;
        }
        // a resumed run appends to the log of its interrupted part
        try (Writer log = Files.newBufferedWriter(dir.resolve("log.txt"), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, resume ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            PrintWriter logLines = new PrintWriter(log, true);
            try {
                RunRecord record = new ExampleRun(options, args, logLines::println).run();
                return String.format(Locale.ROOT, "test accuracy %.4f, sparsity %.4f, mean delta-rank %.1f, %s",
                        record.history().last().testAccuracy(), record.history().last().sparsity(),
                        record.history().last().meanDeltaRank(), Trainer.duration(record.wallSeconds()));
            } catch (RuntimeException | IOException e) {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                Files.writeString(dir.resolve("error.txt"), String.join(" ", args) + "\n" + trace);
                logLines.println("error: " + e);
                return null;
            }
        }
    }
}
