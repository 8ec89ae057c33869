package org.rpg4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    /** 3 images of 2x2: pixel values 0..11; labels 2, 0, 1. */
    private static final byte[] PIXELS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, (byte) 255};
    private static final byte[] LABELS = {2, 0, 1};

    static byte[] imagesFile(int count, int h, int w, byte[] pixels) {
        return ByteBuffer.allocate(16 + pixels.length).putInt(IdxReader.IMAGES_MAGIC).putInt(count).putInt(h)
                .putInt(w).put(pixels).array();
    }

    static byte[] labelsFile(int count, byte[] labels) {
        return ByteBuffer.allocate(8 + labels.length).putInt(IdxReader.LABELS_MAGIC).putInt(count).put(labels)
                .array();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void readsPlainAndGzipFilesAlike() throws IOException {
        Path plainImages = write("i", imagesFile(3, 2, 2, PIXELS));
        Path plainLabels = write("l", labelsFile(3, LABELS));
        Path gzImages = write("i.gz", gzip(imagesFile(3, 2, 2, PIXELS)));
        Path gzLabels = write("l.gz", gzip(labelsFile(3, LABELS)));
        for (ImageSet set : new ImageSet[] {IdxReader.read(plainImages, plainLabels, "t", 10),
                IdxReader.read(gzImages, gzLabels, "t", 10)}) {
            assertEquals(3, set.size());
            assertEquals(1, set.channels());
            assertEquals(2, set.height());
            assertEquals(2, set.width());
            assertArrayEquals(PIXELS, set.pixels());
            assertEquals(2, set.label(0));
            assertEquals(1, set.label(2));
        }
    }

    @Test
    void truncatedPixelsNameFileAndOffset() throws IOException {
        byte[] full = imagesFile(3, 2, 2, PIXELS);
        Path images = write("i", Arrays.copyOf(full, full.length - 5));
        Path labels = write("l", labelsFile(3, LABELS));
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> IdxReader.read(images, labels, "t", 10));
        // header 16 bytes + 12 pixels - 5 missing = 23 bytes present
        assertEquals(23, e.offset());
        assertEquals(images, e.file());
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("offset 23"), e.getMessage());
    }

    @Test
    void truncatedGzipReportsUncompressedOffset() throws IOException {
        byte[] compressed = gzip(imagesFile(3, 2, 2, PIXELS));
        Path images = write("i.gz", Arrays.copyOf(compressed, compressed.length - 12));
        Path labels = write("l", labelsFile(3, LABELS));
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> IdxReader.read(images, labels, "t", 10));
        assertTrue(e.getMessage().startsWith(images.toString()), e.getMessage());
        assertTrue(e.offset() <= 28, "offset " + e.offset());
    }

    @Test
    void truncatedHeader() throws IOException {
        Path images = write("i", new byte[] {0, 0, 8, 3, 0, 0});
        Path labels = write("l", labelsFile(3, LABELS));
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> IdxReader.read(images, labels, "t", 10));
        assertEquals(6, e.offset());
    }

    @Test
    void wrongMagicIsCorruptAtOffsetZero() throws IOException {
        byte[] bytes = imagesFile(3, 2, 2, PIXELS);
        bytes[3] = 0x01;
        Path images = write("i", bytes);
        Path labels = write("l", labelsFile(3, LABELS));
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> IdxReader.read(images, labels, "t", 10));
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().contains("0x00000801"), e.getMessage());
    }

    @Test
    void implausibleDimensions() throws IOException {
        Path images = write("i", imagesFile(3, 0, 2, new byte[0]));
        Path labels = write("l", labelsFile(3, LABELS));
        assertEquals(4, assertThrows(CorruptDataException.class, () -> IdxReader.read(images, labels, "t", 10))
                .offset());
    }

    @Test
    void labelOutOfRangeNamesItsOffset() throws IOException {
        Path images = write("i", imagesFile(3, 2, 2, PIXELS));
        Path labels = write("l", labelsFile(3, new byte[] {2, 0, 10}));
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> IdxReader.read(images, labels, "t", 10));
        assertEquals(10, e.offset()); // 8 header bytes + index 2
        assertEquals(labels, e.file());
    }

    @Test
    void countMismatchAndTrailingBytes() throws IOException {
        Path images = write("i", imagesFile(3, 2, 2, PIXELS));
        Path shortLabels = write("l2", labelsFile(2, new byte[] {1, 1}));
        assertEquals(4, assertThrows(CorruptDataException.class,
                () -> IdxReader.read(images, shortLabels, "t", 10)).offset());
        byte[] longer = Arrays.copyOf(imagesFile(3, 2, 2, PIXELS), 29);
        Path longImages = write("i2", longer);
        Path labels = write("l", labelsFile(3, LABELS));
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> IdxReader.read(longImages, labels, "t", 10));
        assertEquals(28, e.offset());
        assertTrue(e.getMessage().contains("longer than its header"), e.getMessage());
    }

    @Test
    void corruptGzipBlock() throws IOException {
        byte[] compressed = gzip(imagesFile(3, 2, 2, PIXELS));
        for (int i = 12; i < compressed.length - 8; i++) {
            compressed[i] = (byte) 0xFF;
        }
        Path images = write("i.gz", compressed);
        Path labels = write("l", labelsFile(3, LABELS));
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> IdxReader.read(images, labels, "t", 10));
        assertTrue(e.getMessage().contains(images.toString()) && e.getMessage().contains("offset"), e.getMessage());
    }
}
