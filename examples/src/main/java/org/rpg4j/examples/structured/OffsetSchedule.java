package org.rpg4j.examples.structured;

import org.nd4j.linalg.schedule.ISchedule;

/**
 * A schedule read from a later iteration: {@code valueAt(i) = base.valueAt(i + offset)}. The
 * fine-tuning phase's trainer counts its iterations from 0 while the shrunk network's updater
 * continues the run's schedule; this gives the trainer's progress lines the learning rate in use.
 * Not serialised (DL4J never sees it).
 */
final class OffsetSchedule implements ISchedule {
    private static final long serialVersionUID = 1L;

    private final ISchedule base;
    private final long offset;

    /**
     * @param base the run's schedule
     * @param offset iterations already done, {@code >= 0}
     */
    OffsetSchedule(ISchedule base, long offset) {
        this.base = base;
        this.offset = offset;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return base.valueAt((int) (iteration + offset), epoch);
    }

    @Override
    public ISchedule clone() {
        return new OffsetSchedule(base.clone(), offset);
    }
}
