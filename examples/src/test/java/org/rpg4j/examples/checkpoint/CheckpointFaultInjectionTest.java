package org.rpg4j.examples.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rpg4j.examples.TrainAndPrune;

/**
 * Kills a training run with SIGKILL again and again, then lets it finish, and checks that it ends
 * with exactly the weights, masks, pruner state, updater state and metrics of a run that was never
 * interrupted.
 *
 * <p>Each attempt starts {@link TrainAndPrune} in a child JVM (the test's own class path, a small
 * heap, {@code OMP_NUM_THREADS=1}), with {@code --resume} once a checkpoint exists, and kills it with
 * {@link Process#destroyForcibly()}, which on Linux sends SIGKILL (asserted: exit status 128 + 9).
 * The kill points are drawn from a seeded random stream: during training (after the child's 1st, 2nd
 * or 3rd progress line, plus 0-250 ms) or inside a chosen phase of a checkpoint write. The child is
 * started with {@value WriteProbe#PAUSE_PROPERTY} so that it announces each {@link WritePhase} and
 * holds it for {@value #PAUSE_MILLIS} ms: the test kills it there. The run: RPG on the small CNN,
 * synthetic 28x28 images with crop-and-flip augmentation, 8 epochs of 4 iterations, a topology
 * update every 4 iterations, a checkpoint every 2 iterations, the last 2 kept.
 */
class CheckpointFaultInjectionTest {
    /** Fixed, so a failure can be replayed; printed with every kill. */
    private static final long SEED = 20261130L;
    private static final int KILLS = 22;
    private static final long PAUSE_MILLIS = 100;
    private static final int SIGKILL_EXIT = 128 + 9;
    private static final Pattern PROGRESS = Pattern.compile("^\\[epoch \\d+/\\d+\\] iter (\\d+)/\\d+ .*");
    private static final List<String> RUN = List.of("--dataset", "synthetic", "--model", "small-cnn", "--method",
            "rpg", "--subset", "64", "--test-subset", "32", "--batch-size", "16", "--epochs", "8", "--delta-t", "4",
            "--lr", "0.05", "--warmup-epochs", "0.5", "--augment", "crop-flip", "--progress-every", "1");

    @TempDir
    Path dir;

    /** Where one child is killed. */
    private record KillPoint(WritePhase phase, int progressLines, long delayMillis) {
        boolean triggeredBy(String line, int progressSeen) {
            if (phase == null) {
                return PROGRESS.matcher(line).matches() && progressSeen == progressLines;
            }
            return line.startsWith(WriteProbe.LINE_PREFIX + phase + " ");
        }

        @Override
        public String toString() {
            return (phase == null ? "training, after progress line " + progressLines : "checkpoint phase " + phase)
                    + " + " + delayMillis + " ms";
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void killedTwentyTwoTimesThenFinishedEqualsAnUninterruptedRun() throws Exception {
        Path reference = dir.resolve("reference");
        assertEquals(0, runToEnd(reference, List.of("--checkpoint-minutes", "0")), "reference run");

        Path run = dir.resolve("killed");
        Random random = new Random(SEED);
        Set<WritePhase> phasesHit = EnumSet.noneOf(WritePhase.class);
        int trainingKills = 0;
        List<String> kills = new ArrayList<>();
        for (int k = 0; k < KILLS; k++) {
            KillPoint point = draw(random, k);
            Child child = start(run, checkpointArguments(run), "kill-" + k);
            boolean killed = child.killAt(point);
            if (!killed) {
                fail("kill " + k + " (" + point + ", seed " + SEED + "): the run finished before the kill point; "
                        + "kills so far: " + kills + "\n" + child.tail());
            }
            assertEquals(SIGKILL_EXIT, child.process.exitValue(), "exit status of a SIGKILLed child");
            kills.add(point + (child.resumed ? " (resumed)" : " (fresh start)"));
            if (point.phase() == null) {
                trainingKills++;
            } else {
                phasesHit.add(point.phase());
            }
        }
        System.out.println("kill points (seed " + SEED + "):\n  " + String.join("\n  ", kills));
        assertTrue(kills.stream().filter(s -> s.endsWith("(resumed)")).count() >= KILLS / 2,
                "most kills hit a resumed child: " + kills);
        assertEquals(0, runToEnd(run, checkpointArguments(run)), "the final, uninterrupted part");

        RunComparison.assertSameModel(reference.resolve("model.zip"), run.resolve("model.zip"));
        RunComparison.assertSameMetrics(reference.resolve("results.json"), run.resolve("results.json"));
        assertTrue(trainingKills >= 5, "kills during training: " + trainingKills);
        assertTrue(phasesHit.size() >= 6, "checkpoint phases killed in: " + phasesHit);
        for (Path log : logs()) {
            String text = Files.readString(log);
            assertTrue(!text.contains("WARNING: skipping checkpoint"), "an atomic write never leaves a damaged "
                    + "checkpoint, but " + log + " skipped one:\n" + text);
        }
    }

    /** Every third kill lands in training, the others in a checkpoint phase drawn uniformly. */
    private static KillPoint draw(Random random, int k) {
        if (k % 3 == 0) {
            return new KillPoint(null, 1 + random.nextInt(3), random.nextInt(251));
        }
        WritePhase phase = WritePhase.values()[random.nextInt(WritePhase.values().length)];
        // STARTED and FILES_WRITTEN are followed by file writing: a delay beyond the pause lands there
        long delay = phase == WritePhase.STARTED || phase == WritePhase.FILES_WRITTEN
                ? random.nextInt((int) (2 * PAUSE_MILLIS)) : random.nextInt((int) (PAUSE_MILLIS / 2));
        return new KillPoint(phase, 0, delay);
    }

    private static List<String> checkpointArguments(Path run) throws IOException {
        List<String> args = new ArrayList<>(List.of("--checkpoint-every", "2", "--keep-checkpoints", "2"));
        if (CheckpointStore.hasCheckpoints(run.resolve(CheckpointSession.DIRECTORY))) {
            args.addAll(List.of("--resume", run.toString()));
        } else {
            args.addAll(List.of("--output", run.toString()));
        }
        return args;
    }

    private int runToEnd(Path output, List<String> extra) throws Exception {
        List<String> args = new ArrayList<>(extra);
        if (!args.contains("--resume") && !args.contains("--output")) {
            args.addAll(List.of("--output", output.toString()));
        }
        Child child = start(output, args, output.getFileName() + "-to-end");
        child.drain();
        if (!child.process.waitFor(15, TimeUnit.MINUTES)) {
            child.process.destroyForcibly();
            fail("a child did not finish in 15 minutes\n" + child.tail());
        }
        if (child.process.exitValue() != 0) {
            fail("child failed with status " + child.process.exitValue() + "\n" + child.tail());
        }
        return child.process.exitValue();
    }

    private Child start(Path run, List<String> extra, String name) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx400m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-D" + WriteProbe.PAUSE_PROPERTY + "=" + PAUSE_MILLIS, "-cp", System.getProperty("java.class.path"),
                TrainAndPrune.class.getName()));
        command.addAll(RUN);
        command.addAll(extra);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", "1");
        Files.createDirectories(dir.resolve("logs"));
        return new Child(builder.start(), dir.resolve("logs").resolve(name + ".txt"), extra.contains("--resume"));
    }

    private List<Path> logs() throws IOException {
        try (var files = Files.list(dir.resolve("logs"))) {
            return files.sorted().toList();
        }
    }

    /** A child JVM whose merged output is read line by line and kept in a log file. */
    private static final class Child {
        final Process process;
        final Path log;
        final boolean resumed;
        private final List<String> lines = new ArrayList<>();

        Child(Process process, Path log, boolean resumed) {
            this.process = process;
            this.log = log;
            this.resumed = resumed;
        }

        /** @return true if the child was killed at the point, false if it ended first */
        boolean killAt(KillPoint point) throws IOException, InterruptedException {
            int progress = 0;
            try (BufferedReader in = reader()) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    keep(line);
                    Matcher m = PROGRESS.matcher(line);
                    if (m.matches()) {
                        progress++;
                    }
                    if (point.triggeredBy(line, progress)) {
                        Thread.sleep(point.delayMillis());
                        process.destroyForcibly();
                        // destroying also closes the child's streams: what it printed after the kill is lost
                        process.waitFor();
                        return true;
                    }
                }
            }
            process.waitFor();
            return false;
        }

        void drain() throws IOException {
            try (BufferedReader in = reader()) {
                drainRest(in);
            }
        }

        private void drainRest(BufferedReader in) throws IOException {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                keep(line);
            }
        }

        private BufferedReader reader() {
            return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        private void keep(String line) throws IOException {
            lines.add(line);
            Files.writeString(log, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        }

        String tail() {
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
    }
}
