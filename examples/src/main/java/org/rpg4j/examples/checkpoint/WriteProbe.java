package org.rpg4j.examples.checkpoint;

import java.io.PrintStream;

/**
 * Sees each {@link WritePhase} of a checkpoint write. Production runs use {@link #NONE}; the
 * fault-injection tests start the examples with the system property {@value #PAUSE_PROPERTY} so that
 * every phase is announced on standard output and held for a while, which lets a test kill the
 * process inside a chosen phase.
 */
@FunctionalInterface
public interface WriteProbe {
    /** System property: milliseconds to pause in each phase; when set, phases are also printed. */
    String PAUSE_PROPERTY = "rpg4j.checkpoint.probePauseMillis";
    /** Prefix of the line printed for each phase: {@code checkpoint-phase <PHASE> <iteration>}. */
    String LINE_PREFIX = "checkpoint-phase ";

    /** Does nothing. */
    WriteProbe NONE = (phase, iteration) -> {};

    /**
     * Called when a write has reached {@code phase}.
     *
     * @param phase the step just completed
     * @param iteration the iteration of the checkpoint being written
     */
    void reached(WritePhase phase, long iteration);

    /**
     * @return {@link #NONE} unless {@value #PAUSE_PROPERTY} is set, else a probe that prints each
     *     phase to standard output and then sleeps that many milliseconds
     * @throws IllegalArgumentException if the property is not a non-negative integer
     */
    static WriteProbe fromSystemProperties() {
        String value = System.getProperty(PAUSE_PROPERTY);
        if (value == null) {
            return NONE;
        }
        long millis;
        try {
            millis = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            millis = -1;
        }
        if (millis < 0) {
            throw new IllegalArgumentException(PAUSE_PROPERTY + " must be a whole number of milliseconds >= 0, got '"
                    + value + "'");
        }
        return announcing(System.out, millis);
    }

    /**
     * @param out where the phase lines go (flushed at once)
     * @param pauseMillis how long to hold each phase, {@code >= 0}
     * @return a probe printing {@code checkpoint-phase <PHASE> <iteration>} and then pausing
     */
    static WriteProbe announcing(PrintStream out, long pauseMillis) {
        return (phase, iteration) -> {
            out.println(LINE_PREFIX + phase + " " + iteration);
            out.flush();
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
