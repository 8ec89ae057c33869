package org.rpg4j.examples.checkpoint;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A directory of checkpoints, one subdirectory {@code ckpt-<iteration, 12 digits>} each. Writes are
 * atomic: files go to a temporary directory ({@code .tmp-...}), each is synced and hashed, the
 * {@link Manifest} is written and synced, the temporary directory is synced and renamed to its final
 * name, and the parent directory is synced. Only the newest {@code keep} checkpoints are kept; an
 * older one is first renamed to {@code .del-...} (so it is never half-deleted under a valid name),
 * then deleted. Leftover temporary and deleted directories of a crashed process are removed when
 * the store is opened for writing.
 */
public final class CheckpointStore {
    private static final String PREFIX = "ckpt-";
    private static final Pattern NAME = Pattern.compile("ckpt-(\\d{12})");
    private static final String TEMPORARY = ".tmp-";
    private static final String DELETED = ".del-";

    private final Path directory;
    private final int keep;
    private final WriteProbe probe;

    /**
     * A checkpoint directory that passed every check.
     *
     * @param directory the {@code ckpt-...} directory
     * @param manifest its manifest (every file listed there was found intact)
     */
    public record Valid(Path directory, Manifest manifest) {
        /**
         * @param name a file name listed in the manifest
         * @return the path of that file
         */
        public Path file(String name) {
            return directory.resolve(name);
        }
    }

    /** Writes the files of one checkpoint into the (empty) directory it is given. */
    @FunctionalInterface
    public interface Contents {
        /**
         * @param directory the temporary directory to fill with plain files
         * @throws IOException if a file cannot be written
         */
        void writeTo(Path directory) throws IOException;
    }

    /**
     * @param directory where checkpoints live (created on the first write)
     * @param keep checkpoints to keep, {@code >= 1}
     * @param probe sees each phase of a write ({@link WriteProbe#NONE} outside tests)
     * @throws IllegalArgumentException if keep is below 1
     */
    public CheckpointStore(Path directory, int keep, WriteProbe probe) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be >= 1, got " + keep);
        }
        this.directory = directory.toAbsolutePath();
        this.keep = keep;
        this.probe = probe;
    }

    /** @return the directory holding the checkpoints */
    public Path directory() {
        return directory;
    }

    /**
     * @param directory a checkpoint directory, which may not exist
     * @return whether it holds at least one directory named like a finished checkpoint (valid or not)
     * @throws IOException if it cannot be listed
     */
    public static boolean hasCheckpoints(Path directory) throws IOException {
        return !checkpointDirectories(directory).isEmpty();
    }

    /**
     * Writes one checkpoint atomically and removes the oldest beyond {@code keep}.
     *
     * @param iteration training iterations done, {@code >= 0}; names the checkpoint
     * @param contents writes the checkpoint's files
     * @return the new checkpoint directory
     * @throws IOException if writing fails (a temporary directory may remain; it is never taken for a checkpoint)
     */
    public Path write(long iteration, Contents contents) throws IOException {
        Files.createDirectories(directory);
        removeLeftovers();
        String name = name(iteration);
        Path temporary = Files.createDirectory(directory.resolve(TEMPORARY + name + "-" + System.nanoTime()));
        probe.reached(WritePhase.STARTED, iteration);
        contents.writeTo(temporary);
        probe.reached(WritePhase.FILES_WRITTEN, iteration);
        List<Manifest.Entry> entries = syncAndHash(temporary);
        probe.reached(WritePhase.FILES_SYNCED, iteration);
        Path manifest = temporary.resolve(Manifest.FILE_NAME);
        Files.writeString(manifest, new Manifest(iteration, entries).toText(), StandardCharsets.UTF_8);
        sync(manifest);
        sync(temporary);
        probe.reached(WritePhase.MANIFEST_WRITTEN, iteration);
        Path target = directory.resolve(name);
        if (Files.exists(target)) {
            // an invalid checkpoint of the same iteration (the resume skipped it): replace it
            retire(target);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        probe.reached(WritePhase.RENAMED, iteration);
        sync(directory);
        probe.reached(WritePhase.PRUNING, iteration);
        List<Path> all = checkpointDirectories(directory);
        for (Path old : all.subList(0, Math.max(0, all.size() - keep))) {
            retire(old);
        }
        probe.reached(WritePhase.DONE, iteration);
        return target;
    }

    /**
     * Finds the newest checkpoint whose manifest and files are intact, newest first; each invalid
     * one on the way is reported, naming the file at fault.
     *
     * @param warn receives one line per skipped checkpoint
     * @return the newest valid checkpoint, empty if there are none at all
     * @throws IllegalStateException if there are checkpoints but none is valid (the message lists why)
     * @throws IOException if the directory cannot be listed
     */
    public Optional<Valid> newestValid(Consumer<String> warn) throws IOException {
        List<Path> all = checkpointDirectories(directory);
        List<String> problems = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            Path candidate = all.get(i);
            try {
                Valid valid = validate(candidate);
                return Optional.of(valid);
            } catch (InvalidCheckpointException e) {
                problems.add(e.getMessage());
                warn.accept("WARNING: skipping checkpoint " + candidate + ": " + e.getMessage()
                        + (i > 0 ? "; trying the previous one" : ""));
            }
        }
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        throw new IllegalStateException("no valid checkpoint in " + directory + " (" + problems.size()
                + " found, every one damaged):\n  " + String.join("\n  ", problems));
    }

    /**
     * Checks one checkpoint: its manifest parses and matches its own checksum, names this directory's
     * iteration, and every file it lists exists with the recorded length and SHA-256.
     *
     * @param checkpoint a {@code ckpt-...} directory
     * @return the checkpoint with its manifest
     * @throws InvalidCheckpointException naming the file at fault and what is wrong with it
     */
    public static Valid validate(Path checkpoint) {
        Path manifestFile = checkpoint.resolve(Manifest.FILE_NAME);
        Manifest manifest;
        try {
            manifest = Manifest.parse(Files.readString(manifestFile, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new InvalidCheckpointException(manifestFile + " is missing");
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidCheckpointException(manifestFile + " is damaged: " + e.getMessage());
        }
        if (!checkpoint.getFileName().toString().equals(name(manifest.iteration()))) {
            throw new InvalidCheckpointException(manifestFile + " is for iteration " + manifest.iteration()
                    + ", not for the directory it is in");
        }
        for (Manifest.Entry e : manifest.files()) {
            checkFile(checkpoint.resolve(e.name()), e);
        }
        return new Valid(checkpoint, manifest);
    }

    private static void checkFile(Path file, Manifest.Entry entry) {
        try {
            long size = Files.size(file);
            if (size != entry.bytes()) {
                throw new InvalidCheckpointException(file + " has " + size + " bytes, the manifest says "
                        + entry.bytes() + (size < entry.bytes() ? " (truncated)" : ""));
            }
            if (!Digests.sha256(file).equals(entry.sha256())) {
                throw new InvalidCheckpointException(file + " does not match its SHA-256 in the manifest "
                        + "(the file is corrupt)");
            }
        } catch (NoSuchFileException e) {
            throw new InvalidCheckpointException(file + " is missing");
        } catch (IOException e) {
            throw new InvalidCheckpointException(file + " cannot be read: " + e);
        }
    }

    /** @return finished-looking checkpoint directories (valid or not), oldest first */
    static List<Path> checkpointDirectories(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path p : entries) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p)) {
                    found.add(p);
                }
            }
        }
        found.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return found;
    }

    static String name(long iteration) {
        return PREFIX + String.format(Locale.ROOT, "%012d", iteration);
    }

    private List<Manifest.Entry> syncAndHash(Path temporary) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(temporary)) {
            files = listing.sorted().toList();
        }
        List<Manifest.Entry> entries = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new IOException("a checkpoint holds plain files only, found " + f);
            }
            sync(f);
            entries.add(new Manifest.Entry(f.getFileName().toString(), Files.size(f), Digests.sha256(f)));
        }
        return entries;
    }

    /** Renames a directory out of the set of checkpoints, syncs the parent, then deletes it. */
    private void retire(Path checkpoint) throws IOException {
        Path doomed = directory.resolve(DELETED + checkpoint.getFileName() + "-" + System.nanoTime());
        Files.move(checkpoint, doomed, StandardCopyOption.ATOMIC_MOVE);
        sync(directory);
        deleteTree(doomed);
    }

    private void removeLeftovers() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path p : entries) {
                String n = p.getFileName().toString();
                if (n.startsWith(TEMPORARY) || n.startsWith(DELETED)) {
                    deleteTree(p);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** fsync of a file or a directory (Linux allows opening a directory for reading and forcing it). */
    static void sync(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
