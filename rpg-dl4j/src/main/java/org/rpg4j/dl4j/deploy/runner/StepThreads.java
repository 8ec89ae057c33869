package org.rpg4j.dl4j.deploy.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rpg4j.sparse.kernel.CallThreads;
import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * One step's choice of threads under {@link KernelThreading#PER_CALL}: per batch size a {@link ThreadRace} times the
 * step's calls on the calling thread alone and on it and the common pool, and keeps the faster; the report lines get
 * the choice appended. Not thread-safe (a step runs on one thread at a time).
 */
final class StepThreads {

    private final Step step;
    private final Map<Integer, ThreadRace> races = new TreeMap<>();

    private StepThreads(Step step) {
        this.step = step;
    }

    /**
     * @param step a compiled step
     * @param threading the runner's threading
     * @return the step's thread choice, or null where there is nothing to choose: the threading is not
     *     {@link KernelThreading#PER_CALL}, or the step does not spread work over {@link KernelThreading}
     *     (DL4J fallback steps, global pooling)
     */
    static StepThreads of(Step step, KernelThreading threading) {
        boolean splits = step instanceof CalibratedStep || step instanceof AddStep || step instanceof MaxPoolingStep;
        return threading == KernelThreading.PER_CALL && splits ? new StepThreads(step) : null;
    }

    /**
     * Runs the step under the choice of threads its race gives this call, or under the choice the code calling the
     * runner set around the call ({@link KernelThreading#callWith}), untimed.
     *
     * @param inputs the step's inputs, the first with the batch as dimension 0
     * @return the step's output
     */
    Tensor run(Tensor[] inputs) {
        if (KernelThreading.choice() != null) {
            // a choice made around the whole runner call ({@link KernelThreading#callWith}) holds for every step
            return step.run(inputs);
        }
        int batch = (int) inputs[0].size(0);
        ThreadRace race = races.computeIfAbsent(batch, b -> new ThreadRace(ThreadRace.WARM_UP_CALLS,
                CallThreads.CALLER, ThreadRace.POOL_MARGIN, System::nanoTime));
        return race.call(choice -> KernelThreading.callWith(choice, () -> step.run(inputs)));
    }

    /**
     * @param choices the step's report lines
     * @return the same lines with the thread choice of their batch size appended to the calibration note (to a
     *     line of batch size 0, the choice of every batch size seen)
     */
    List<LayerChoice> report(List<LayerChoice> choices) {
        List<LayerChoice> lines = new ArrayList<>();
        for (LayerChoice c : choices) {
            String note = note(c.batch());
            lines.add(note.isEmpty() ? c : new LayerChoice(c.name(), c.operation(), c.density(), c.batch(),
                    c.sparseMillis(), c.denseMillis(), c.kernel(), c.calibration().isEmpty() ? note
                            : c.calibration() + "; " + note));
        }
        return lines;
    }

    /**
     * @param batch a batch size, 0 for all
     * @return the thread choice at that batch size (at every batch size seen, each prefixed by it, for 0), or
     *     empty if none was seen
     */
    String note(int batch) {
        if (batch > 0) {
            ThreadRace race = races.get(batch);
            return race == null ? "" : race.note();
        }
        List<String> notes = new ArrayList<>();
        races.forEach((b, race) -> notes.add("batch " + b + " " + race.note()));
        return String.join("; ", notes);
    }
}
