package org.rpg4j.examples.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads a data file (plain or gzip, recognised by its first two bytes) while counting the bytes
 * delivered, so that every error can name the byte offset where it happened.
 */
final class CountingInput implements AutoCloseable {
    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;

    private final Path file;
    private final InputStream in;
    private final boolean gzip;
    private long offset;

    private CountingInput(Path file, InputStream in, boolean gzip) {
        this.file = file;
        this.in = in;
        this.gzip = gzip;
    }

    /**
     * Opens {@code file}, decompressing it if it starts with the gzip magic bytes.
     *
     * @throws IOException if the file cannot be opened or its gzip header is broken
     */
    static CountingInput open(Path file) throws IOException {
        BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        boolean gzip = b0 == GZIP_MAGIC_0 && b1 == GZIP_MAGIC_1;
        if (!gzip) {
            return new CountingInput(file, raw, false);
        }
        try {
            return new CountingInput(file, new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16), true);
        } catch (IOException e) {
            raw.close();
            throw new CorruptDataException(file, 0, "broken gzip header", e);
        }
    }

    /** @return the file being read */
    Path file() {
        return file;
    }

    /** @return bytes delivered so far (of the uncompressed stream for gzip files) */
    long offset() {
        return offset;
    }

    /** @return a description of the offset's unit, for messages */
    String offsetUnit() {
        return gzip ? "uncompressed " : "";
    }

    /**
     * Reads exactly {@code length} bytes into {@code buffer} (or up to the end of the file).
     *
     * @return bytes read; less than {@code length} only at the end of the file
     * @throws CorruptDataException if the stream is broken (e.g. a corrupt gzip block)
     */
    int readUpTo(byte[] buffer, int start, int length, String what) throws CorruptDataException {
        int done = 0;
        try {
            while (done < length) {
                int n = in.read(buffer, start + done, length - done);
                if (n < 0) {
                    break;
                }
                done += n;
                offset += n;
            }
        } catch (EOFException e) {
            throw truncated(what, e);
        } catch (IOException e) {
            throw new CorruptDataException(file, offset, "could not read " + what + " (" + offsetUnit() + "stream)", e);
        }
        return done;
    }

    /**
     * Reads exactly {@code length} bytes.
     *
     * @throws CorruptDataException naming the offset if the file ends early or is broken
     */
    void readFully(byte[] buffer, int start, int length, String what) throws CorruptDataException {
        if (readUpTo(buffer, start, length, what) < length) {
            throw truncated(what, null);
        }
    }

    /** @return the next big-endian 32-bit integer */
    int readInt(String what) throws CorruptDataException {
        byte[] b = new byte[4];
        readFully(b, 0, 4, what);
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    /**
     * Checks that the file has no bytes after the data its header describes.
     *
     * @throws CorruptDataException naming the offset of the first extra byte
     */
    void expectEnd() throws CorruptDataException {
        byte[] one = new byte[1];
        long at = offset;
        if (readUpTo(one, 0, 1, "the end of the file") > 0) {
            throw new CorruptDataException(file, at, "file is longer than its header says: expected the end of the "
                    + "file after " + at + " " + offsetUnit() + "bytes");
        }
    }

    private CorruptDataException truncated(String what, Throwable cause) {
        String problem = "file is truncated: it ends while reading " + what + " after " + offset + " "
                + offsetUnit() + "bytes";
        return cause == null ? new CorruptDataException(file, offset, problem)
                : new CorruptDataException(file, offset, problem, cause);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
