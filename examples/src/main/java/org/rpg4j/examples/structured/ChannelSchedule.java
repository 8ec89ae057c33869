package org.rpg4j.examples.structured;

import java.util.Locale;
import java.util.Optional;
import org.rpg4j.schedule.ScheduleKind;

/**
 * When the channels are removed: once after training ({@link #ONE_SHOT}), or gradually during
 * training along one of rpg-core's density curves (channels masked to zero, network shrunk at the end).
 */
public enum ChannelSchedule {
    /** Rank and remove once, after training. */
    ONE_SHOT("one-shot", null),
    /** Gradual, cubic ramp of the channel density (Zhu and Gupta). */
    CUBIC("cubic", ScheduleKind.CUBIC),
    /** Gradual, linear ramp. */
    LINEAR("linear", ScheduleKind.LINEAR),
    /** Gradual, exponential ramp. */
    EXPONENTIAL("exponential", ScheduleKind.EXPONENTIAL);

    private final String cliName;
    private final ScheduleKind kind;

    ChannelSchedule(String cliName, ScheduleKind kind) {
        this.cliName = cliName;
        this.kind = kind;
    }

    /** @return the command-line name */
    public String cliName() {
        return cliName;
    }

    /** @return the density curve of a gradual schedule; empty for {@link #ONE_SHOT} */
    public Optional<ScheduleKind> kind() {
        return Optional.ofNullable(kind);
    }

    /**
     * @param name a command-line name (case-insensitive)
     * @return the schedule
     * @throws IllegalArgumentException naming the allowed values
     */
    public static ChannelSchedule fromCliName(String name) {
        for (ChannelSchedule s : values()) {
            if (s.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("expected one-shot, cubic, linear or exponential but was '" + name + "'");
    }
}
