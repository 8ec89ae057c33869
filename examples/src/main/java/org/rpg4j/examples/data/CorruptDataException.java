package org.rpg4j.examples.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file is truncated or does not hold what its format promises. The message names the file,
 * the byte offset at which the problem was found and what was expected; nothing of the file is
 * used.
 */
public final class CorruptDataException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    /**
     * @param file the offending file
     * @param offset byte offset of the problem (in the uncompressed stream for gzip files)
     * @param problem what was found and what was expected
     */
    public CorruptDataException(Path file, long offset, String problem) {
        super(file + ": " + problem + " (at byte offset " + offset + ")");
        this.file = file;
        this.offset = offset;
    }

    /**
     * @param file the offending file
     * @param offset byte offset reached when the cause was thrown
     * @param problem what was being read
     * @param cause the underlying error (e.g. a broken gzip stream)
     */
    public CorruptDataException(Path file, long offset, String problem, Throwable cause) {
        super(file + ": " + problem + " (at byte offset " + offset + "): " + cause.getMessage(), cause);
        this.file = file;
        this.offset = offset;
    }

    /** @return the offending file */
    public Path file() {
        return file;
    }

    /** @return byte offset of the problem (uncompressed for gzip files) */
    public long offset() {
        return offset;
    }
}
