package org.rpg4j.sparse.format;

import java.io.IOException;

/**
 * A sparse model file that cannot be read: truncated, corrupt (a checksum or a size disagrees with
 * the manifest), missing an entry, or of an unsupported format version. The message and
 * {@link #entryName()} name the zip entry at fault.
 */
public final class SparseFormatException extends IOException {
    /** Serialization version. */
    private static final long serialVersionUID = 1L;
    /** The zip entry at fault. */
    private final String entryName;

    /**
     * @param entryName the zip entry at fault, e.g. {@code "manifest.json"}
     * @param problem what is wrong with it
     */
    public SparseFormatException(String entryName, String problem) {
        super("sparse model entry '" + entryName + "': " + problem);
        this.entryName = entryName;
    }

    /**
     * @param entryName the zip entry at fault
     * @param problem what is wrong with it
     * @param cause the exception that revealed it
     */
    public SparseFormatException(String entryName, String problem, Throwable cause) {
        super("sparse model entry '" + entryName + "': " + problem, cause);
        this.entryName = entryName;
    }

    /** @return the name of the zip entry at fault */
    public String entryName() {
        return entryName;
    }
}
