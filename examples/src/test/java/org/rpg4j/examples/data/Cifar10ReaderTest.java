package org.rpg4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10ReaderTest {
    private static final int R = Cifar10Reader.RECORD_BYTES;

    @TempDir
    Path dir;

    /** {@code count} records; record i has label i % 10 and every pixel equal to i + channel. */
    static byte[] records(int count) {
        byte[] bytes = new byte[count * R];
        for (int i = 0; i < count; i++) {
            bytes[i * R] = (byte) (i % 10);
            for (int c = 0; c < 3; c++) {
                Arrays.fill(bytes, i * R + 1 + c * 1024, i * R + 1 + (c + 1) * 1024, (byte) (i + c));
            }
        }
        return bytes;
    }

    @Test
    void readsRecordsInOrderAcrossFiles() throws IOException {
        Path a = Files.write(dir.resolve("a.bin"), records(3));
        Path b = Files.write(dir.resolve("b.bin"), records(2));
        ImageSet set = Cifar10Reader.read(List.of(a, b), "cifar10");
        assertEquals(5, set.size());
        assertEquals(3, set.channels());
        assertEquals(2, set.label(2));
        assertEquals(1, set.label(4));
        // image 2, channel 1 (green), any pixel: 2 + 1
        assertEquals(3, set.pixels()[2 * 3072 + 1024 + 17]);
    }

    @Test
    void truncatedRecordNamesFileAndOffset() throws IOException {
        byte[] bytes = Arrays.copyOf(records(3), 2 * R + 100);
        Path file = Files.write(dir.resolve("data_batch_1.bin"), bytes);
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> Cifar10Reader.read(List.of(file), "cifar10"));
        assertEquals(2L * R + 100, e.offset());
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains("record 2") && e.getMessage().contains("100 of 3073"), e.getMessage());
    }

    @Test
    void invalidLabelIsCorruptAtItsRecord() throws IOException {
        byte[] bytes = records(3);
        bytes[R] = 42;
        Path file = Files.write(dir.resolve("x.bin"), bytes);
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> Cifar10Reader.read(List.of(file), "cifar10"));
        assertEquals(R, e.offset());
        assertTrue(e.getMessage().contains("label 42"), e.getMessage());
    }

    @Test
    void emptyFileIsAnError() throws IOException {
        Path file = Files.write(dir.resolve("x.bin"), new byte[0]);
        assertEquals(0, assertThrows(CorruptDataException.class,
                () -> Cifar10Reader.read(List.of(file), "cifar10")).offset());
    }

    @Test
    void locatesTheArchiveDirectory() throws IOException {
        assertNull(Cifar10Reader.locate(dir));
        Path sub = Files.createDirectory(dir.resolve(Cifar10Reader.ARCHIVE_DIRECTORY));
        for (String f : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin")) {
            Files.write(sub.resolve(f), records(1));
        }
        assertEquals(sub, Cifar10Reader.locate(dir));
        assertEquals(5, Cifar10Reader.readTrain(sub).size());
        TrainTestData data = DataSources.load(DatasetKind.CIFAR10, dir, 3, 32, 1);
        assertEquals(1, data.test().size());
        assertTrue(!data.synthetic());
    }

    @Test
    void aNamedDirectoryWithoutTheFilesIsAnErrorListingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataSources.load(DatasetKind.CIFAR10, dir, 3, 32, 1));
        assertEquals("--data-dir " + dir + " does not hold the cifar10 files: expected data_batch_1.bin .. "
                + "data_batch_5.bin and test_batch.bin (the binary version), in it or in its cifar-10-batches-bin "
                + "subdirectory; point --data-dir at the directory that holds them, or use --dataset synthetic",
                e.getMessage());
    }

    @Test
    void onlyTheDefaultWithNoDataOptionFallsBackToSynthetic() throws IOException {
        // dir stands for a default directory without Fashion-MNIST (this machine may have it installed)
        TrainTestData data = DataSources.load(null, null, dir, 1, 28, 1);
        assertTrue(data.synthetic());
        assertEquals("synthetic-28x28x1", data.name());
        assertTrue(data.source().contains("fashion-mnist not found"), data.source());
        IllegalArgumentException named = assertThrows(IllegalArgumentException.class,
                () -> DataSources.load(DatasetKind.FASHION_MNIST, null, dir, 1, 28, 1));
        assertEquals("--dataset fashion-mnist: its default directory " + dir + " does not hold the files: expected "
                + "train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz] and "
                + "t10k-labels-idx1-ubyte[.gz]; give --data-dir DIR, or use --dataset synthetic", named.getMessage());
    }
}
