package org.rpg4j.examples.checkpoint;

/**
 * The steps of writing one checkpoint, in order, as reported to a {@link WriteProbe}. A crash
 * before {@link #RENAMED} leaves only a temporary directory (ignored and removed later); a crash
 * from {@link #RENAMED} on leaves the new checkpoint complete.
 */
public enum WritePhase {
    /** The temporary directory exists and is empty. */
    STARTED,
    /** The model zip, trainer state and options are written to the temporary directory, not yet synced. */
    FILES_WRITTEN,
    /** Every file is synced and hashed; the manifest is not yet written. */
    FILES_SYNCED,
    /** The manifest is written and synced, with the temporary directory; not yet renamed. */
    MANIFEST_WRITTEN,
    /** The temporary directory has its final name; the parent directory is not yet synced. */
    RENAMED,
    /** The parent directory is synced; checkpoints beyond the ones to keep are about to be removed. */
    PRUNING,
    /** Older checkpoints are removed; the write is over. */
    DONE
}
