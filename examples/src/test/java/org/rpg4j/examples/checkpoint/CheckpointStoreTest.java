package org.rpg4j.examples.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes, keeping the last K, and detection of truncated, bit-flipped and missing files. */
class CheckpointStoreTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    /** Each checkpoint holds two files whose content names its iteration. */
    private Path write(CheckpointStore store, long iteration) throws IOException {
        return store.write(iteration, d -> {
            Files.writeString(d.resolve("a.bin"), "weights of iteration " + iteration);
            Files.writeString(d.resolve("b.bin"), "state of iteration " + iteration + " ".repeat(100));
        });
    }

    private CheckpointStore store(int keep) {
        return new CheckpointStore(dir, keep, WriteProbe.NONE);
    }

    private long newest() throws IOException {
        return store(1).newestValid(warnings::add).orElseThrow().manifest().iteration();
    }

    @Test
    void keepsTheNewestKAndNoTemporaryDirectories() throws IOException {
        CheckpointStore store = store(2);
        for (long it = 2; it <= 8; it += 2) {
            write(store, it);
        }
        assertEquals(List.of("ckpt-000000000006", "ckpt-000000000008"), names());
        assertEquals(8, newest());
        assertEquals(List.of(), warnings);
        Manifest m = CheckpointStore.validate(dir.resolve("ckpt-000000000008")).manifest();
        assertEquals(List.of("a.bin", "b.bin"), m.files().stream().map(Manifest.Entry::name).toList());
        // SHA-256("weights of iteration 8") is what the manifest holds (recomputed independently)
        assertEquals(Digests.sha256("weights of iteration 8".getBytes(StandardCharsets.UTF_8)), m.files().get(0)
                .sha256());
    }

    @Test
    void phasesAreReportedInOrder() throws IOException {
        List<String> seen = new ArrayList<>();
        new CheckpointStore(dir, 1, (phase, it) -> seen.add(phase + "@" + it)).write(5, d -> Files.writeString(d
                .resolve("x"), "x"));
        assertEquals(List.of("STARTED@5", "FILES_WRITTEN@5", "FILES_SYNCED@5", "MANIFEST_WRITTEN@5", "RENAMED@5",
                "PRUNING@5", "DONE@5"), seen);
    }

    @Test
    void truncatedFileFallsBackToThePreviousCheckpointNamingTheFile() throws IOException {
        writeThree();
        Path victim = dir.resolve("ckpt-000000000003/b.bin");
        try (RandomAccessFile f = new RandomAccessFile(victim.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        assertEquals(2, newest());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains(victim.toString()) && warnings.get(0).contains("(truncated)"),
                warnings.get(0));
    }

    @Test
    void bitFlipFallsBackToThePreviousCheckpoint() throws IOException {
        writeThree();
        Path victim = dir.resolve("ckpt-000000000003/a.bin");
        flipBit(victim, 5, 3);
        assertEquals(2, newest());
        assertTrue(warnings.get(0).contains(victim + " does not match its SHA-256"), warnings.get(0));
    }

    @Test
    void missingFileOrManifestFallsBack() throws IOException {
        writeThree();
        Files.delete(dir.resolve("ckpt-000000000003/a.bin"));
        Files.delete(dir.resolve("ckpt-000000000002/manifest.txt"));
        assertEquals(1, newest());
        assertEquals(2, warnings.size());
        assertTrue(warnings.get(0).contains("ckpt-000000000003/a.bin is missing"), warnings.get(0));
        assertTrue(warnings.get(1).contains("ckpt-000000000002/manifest.txt is missing"), warnings.get(1));
    }

    @Test
    void damagedManifestIsDetectedByItsOwnChecksum() throws IOException {
        writeThree();
        Path manifest = dir.resolve("ckpt-000000000003/manifest.txt");
        // flip a bit inside "iteration 3": the file entries stay valid, only the self-checksum catches it
        int at = Files.readString(manifest).indexOf("iteration 3") + "iteration ".length();
        flipBit(manifest, at, 0);
        assertEquals(2, newest());
        assertTrue(warnings.get(0).contains("does not match its own checksum"), warnings.get(0));
        Files.writeString(manifest, "rpg4j-checkpoint 1\niteration 3\n");
        assertThrows(InvalidCheckpointException.class, () -> CheckpointStore.validate(manifest.getParent()));
    }

    @Test
    void noValidCheckpointIsAClearErrorListingEach() throws IOException {
        writeThree();
        for (long it = 1; it <= 3; it++) {
            flipBit(dir.resolve(CheckpointStore.name(it)).resolve("b.bin"), 0, 0);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> store(1).newestValid(warnings::add));
        assertTrue(e.getMessage().startsWith("no valid checkpoint in " + dir + " (3 found, every one damaged)"),
                e.getMessage());
        for (long it = 1; it <= 3; it++) {
            assertTrue(e.getMessage().contains(CheckpointStore.name(it) + "/b.bin does not match"), e.getMessage());
        }
        assertEquals(3, warnings.size());
    }

    @Test
    void emptyOrMissingDirectoryHasNoCheckpoint() throws IOException {
        assertEquals(Optional.empty(), store(1).newestValid(warnings::add));
        assertFalse(CheckpointStore.hasCheckpoints(dir.resolve("nowhere")));
    }

    @Test
    void aCrashBeforeTheRenameLeavesNothingThatLooksValid() throws IOException {
        CheckpointStore store = store(3);
        write(store, 1);
        // a write that dies after its files are written: the probe throws, as a crash would stop it
        CheckpointStore crashing = new CheckpointStore(dir, 3, (phase, it) -> {
            if (phase == WritePhase.MANIFEST_WRITTEN) {
                throw new IllegalStateException("crash");
            }
        });
        assertThrows(IllegalStateException.class, () -> write(crashing, 2));
        List<String> names = names();
        assertEquals(2, names.size());
        assertTrue(names.get(0).startsWith(".tmp-ckpt-000000000002-"), names.get(0));
        assertEquals("ckpt-000000000001", names.get(1));
        assertTrue(CheckpointStore.hasCheckpoints(dir));
        assertEquals(1, newest());
        assertEquals(List.of(), warnings, "a temporary directory is not a checkpoint");
        write(store, 2);
        try (Stream<Path> all = Files.list(dir)) {
            assertEquals(2, all.count(), "the next write removes the leftover temporary directory");
        }
    }

    @Test
    void rewritingAnInvalidCheckpointOfTheSameIterationReplacesIt() throws IOException {
        CheckpointStore store = store(3);
        write(store, 4);
        flipBit(dir.resolve("ckpt-000000000004/a.bin"), 0, 1);
        write(store, 4);
        assertEquals(4, newest());
        assertEquals(List.of(), warnings);
    }

    @Test
    void invalidKeepIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store(0));
        assertEquals("keep must be >= 1, got 0", e.getMessage());
    }

    private void writeThree() throws IOException {
        CheckpointStore store = store(3);
        for (long it = 1; it <= 3; it++) {
            write(store, it);
        }
    }

    private List<String> names() throws IOException {
        try (Stream<Path> all = Files.list(dir)) {
            return all.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static void flipBit(Path file, long offset, int bit) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ (1 << bit));
        }
    }
}
