package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rpg4j.sparse.kernel.CallThreads;
import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * Calls that hold kernel timing work ({@link TimingWork}: calibration, rechecks, kernel races) stay out of the
 * whole-call thread race, and a step whose calibration dropped oneDNN runs no periodic rechecks but settles when
 * asked.
 */
class TimingWorkTest {

    private static final CallThreads CALLER = CallThreads.CALLER;
    private static final CallThreads POOL = CallThreads.POOL_ABOVE_THRESHOLD;

    @Test
    void aRaceCallMarkedUntimedDoesNotCountAndItsPositionRunsAgain() {
        long[] clock = {0};
        ThreadRace race = new ThreadRace(0, CALLER, CallThreadsCheck.CALL_MARGIN, () -> clock[0]);
        List<CallThreads> used = new ArrayList<>();
        Object output = new Object();
        // the pool takes 30 us, the caller 50 us; calls 1, 3 and 5 also hold 10 ms of recheck work
        for (int call = 1; call <= 2 * ThreadRace.PAIRS + 3; call++) {
            boolean extra = call == 1 || call == 3 || call == 5;
            assertSame(output, race.call(choice -> {
                used.add(choice);
                clock[0] += (choice == POOL ? 30_000 : 50_000) + (extra ? 10_000_000 : 0);
                return output;
            }, () -> extra));
            if (call < 2 * ThreadRace.PAIRS + 3) {
                assertEquals(CALLER, race.choice(), "call " + call);
            }
        }
        // each marked call's choice runs again at the next call (without the marks: pool, caller, pool, ...)
        assertEquals(List.of(POOL, POOL, CALLER, CALLER, POOL, POOL, CALLER), used.subList(0, 7));
        assertEquals(POOL, race.choice(), "counting the marked calls, the pool's mean would be about 2 ms");
        assertEquals(0.03, race.millis(POOL), 1e-12);
        assertEquals(0.05, race.millis(CALLER), 1e-12);
    }

    @Test
    void theRunnersThreadCheckLeavesOutCallsInWhichAStepDidTimingWork() {
        CallThreadsCheck check = new CallThreadsCheck();
        int roundEnd = CallThreadsCheck.WARM_UP_CALLS + 2 * ThreadRace.PAIRS;
        List<CallThreads> seen = new ArrayList<>();
        // the fixed rule (pool) is faster: 0 ms against 20 ms on the caller, but its first two timed calls also
        // recheck a kernel for 400 ms each, which would make it lose by far (one is left out as the slowest)
        int[] poolCalls = {0};
        for (int call = 0; call < roundEnd + 2; call++) {
            check.run(3, () -> {
                CallThreads choice = KernelThreading.choice();
                seen.add(choice);
                if (choice == CALLER) {
                    spin(20_000_000);
                } else if (seen.size() > CallThreadsCheck.WARM_UP_CALLS && poolCalls[0]++ < 2) {
                    TimingWork.note();
                    spin(400_000_000);
                }
                return choice;
            });
        }
        List<CallThreads> after = new ArrayList<>();
        check.run(3, () -> after.add(KernelThreading.choice()));
        assertEquals(CallThreads.POOL_ABOVE_THRESHOLD, after.get(0), check.report(List.of(new LayerChoice("c",
                "conv", 0.5, 3, 0.1, 0.2, KernelKind.SPARSE, "decided"))).toString());
        assertTrue(seen.subList(CallThreadsCheck.WARM_UP_CALLS, CallThreadsCheck.WARM_UP_CALLS + 3).stream()
                .allMatch(c -> c == CallThreads.POOL_ABOVE_THRESHOLD), seen + " " + check.report(List.of(
                        new LayerChoice("c", "conv", 0.5, 3, 0.1, 0.2, KernelKind.SPARSE, "decided"))));
    }

    @Test
    void calibrationRechecksAndKernelRacesNoteTheirTimingWork() {
        ChoiceRecheckTestKernels kernels = new ChoiceRecheckTestKernels(100, 40);
        Calibration calibration = new Calibration(List.of(KernelKind.DENSE, KernelKind.SPARSE), 3,
                () -> kernels.clock[0]);
        long before = TimingWork.count();
        calibration.call(kernels);
        assertEquals(before + 1, TimingWork.count(), "a calibrating call");
        ChoiceRecheck recheck = new ChoiceRecheck(List.of(KernelKind.DENSE, KernelKind.SPARSE), KernelKind.SPARSE,
                () -> kernels.clock[0]);
        for (int call = 1; call < ChoiceRecheck.FIRST_RECHECK; call++) {
            recheck.call(kernels);
        }
        assertEquals(before + 1, TimingWork.count(), "calls without a recheck");
        recheck.call(kernels);
        assertEquals(before + 2, TimingWork.count(), "the recheck call");
        KernelRace race = new KernelRace("c", KernelKind.SPARSE_BATCHED, "batched", 2,
                org.slf4j.LoggerFactory.getLogger(TimingWorkTest.class));
        assertEquals(null, race.next(4));
        assertEquals(before + 3, TimingWork.count(), "a race call");
        race.record(4, 10, 20);
        race.next(4);
        race.record(4, 10, 20);
        assertEquals(KernelKind.SPARSE, race.next(4));
        assertEquals(before + 4, TimingWork.count(), "two race calls; the kept kernel's call after the race none");
    }

    @Test
    void aStepWhoseCalibrationDroppedOneDnnRunsNoRechecks() {
        int[] denseRuns = {0};
        Tensor output = Tensor.of(new float[] {1}, 1);
        CalibratedStep step = new CalibratedStep("c", "conv", 0.5, RunnerOptions.defaults(), true) {
            @Override
            void checkInput(Tensor input) {
            }

            @Override
            Tensor runSparse(Tensor[] inputs) {
                return output;
            }

            @Override
            Tensor runDense(Tensor[] inputs) {
                denseRuns[0]++;
                spin(2_000_000);
                return output;
            }
        };
        Tensor[] inputs = {Tensor.of(new float[] {1}, 1)};
        int calls = 0;
        do {
            step.run(inputs);
            calls++;
        } while (!step.choices().get(0).calibration().startsWith("decided"));
        assertTrue(step.choices().get(0).calibration().contains("DENSE dropped"), step.choices().toString());
        int calibrationRuns = denseRuns[0];
        long timingWork = TimingWork.count();
        for (int call = 0; call < 2 * ChoiceRecheck.FIRST_RECHECK * 4; call++) {
            assertSame(output, step.run(inputs));
        }
        assertEquals(calibrationRuns, denseRuns[0], "oneDNN ran again after " + calls + " calibrating calls");
        assertEquals(timingWork, TimingWork.count());
        assertEquals(KernelKind.SPARSE, step.choices().get(0).kernel());
    }

    @Test
    void aStepWhoseCalibrationDroppedOneDnnStillSettlesWhenAskedAndThenTimesNothing() {
        // fake clock: oneDNN takes 20 ms at its first three runs (OpenMP threads short of a core) and 1 ms after,
        // the sparse kernel 3 ms; so the calibration drops oneDNN (20 > 2 x 3 over two counting calls)
        long[] clock = {0};
        int[] denseRuns = {0};
        long[] denseNanos = {1_000_000};
        Tensor output = Tensor.of(new float[] {1}, 1);
        CalibratedStep step = new CalibratedStep("c", "conv", 0.5, RunnerOptions.defaults(), true, () -> clock[0]) {
            @Override
            void checkInput(Tensor input) {
            }

            @Override
            Tensor runSparse(Tensor[] inputs) {
                clock[0] += 3_000_000;
                return output;
            }

            @Override
            Tensor runDense(Tensor[] inputs) {
                clock[0] += ++denseRuns[0] <= 3 ? 20_000_000 : denseNanos[0];
                return output;
            }
        };
        Tensor[] inputs = {Tensor.of(new float[] {1}, 1)};
        do {
            step.run(inputs);
        } while (!step.settled(1));
        assertTrue(step.choices().get(0).calibration().contains("DENSE dropped"), step.choices().toString());
        assertEquals(KernelKind.SPARSE, step.kernelFor(1));
        int calibrationRuns = denseRuns[0];
        for (int call = 0; call < 2 * ChoiceRecheck.FIRST_RECHECK; call++) {
            step.run(inputs);
        }
        assertEquals(calibrationRuns, denseRuns[0], "no periodic recheck of a dropped oneDNN");

        step.requestSettle(1);
        assertFalse(step.settled(1), "a settle asked for and not run yet");
        long timingWork = TimingWork.count();
        step.run(inputs);
        // one untimed oneDNN run, then 5 timed runs of each kernel: medians 1 ms against 3 ms (the settle counts
        // calls from its own start: call 0)
        assertEquals(calibrationRuns + 1 + ChoiceRecheck.SETTLE_RUNS, denseRuns[0]);
        assertEquals(timingWork + 1, TimingWork.count());
        assertTrue(step.settled(1));
        assertEquals(KernelKind.DENSE, step.kernelFor(1), step.choices().toString());
        LayerChoice line = step.choices().get(step.choices().size() - 1);
        assertTrue(line.calibration().contains("DENSE dropped") && line.calibration().contains(
                "settled at call 0 on medians of 5 warm runs: SPARSE 3.000, DENSE 1.000 ms -> DENSE"), line.toString());

        // the plan race asks again on other threads, where oneDNN now takes 10 ms: the sparse kernel comes back
        denseNanos[0] = 10_000_000;
        step.requestResettle(1);
        assertFalse(step.settled(1));
        step.run(inputs);
        assertEquals(KernelKind.SPARSE, step.kernelFor(1), step.choices().toString());
        timingWork = TimingWork.count();
        int settledRuns = denseRuns[0];
        for (int call = 0; call < 4 * ChoiceRecheck.FIRST_RECHECK; call++) {
            assertSame(output, step.run(inputs));
        }
        assertEquals(timingWork, TimingWork.count(), "nothing timed after the settle");
        assertEquals(settledRuns, denseRuns[0]);
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    /** Fake kernels on a fake clock (DENSE and SPARSE times in ns). */
    private static final class ChoiceRecheckTestKernels implements Calibration.Kernels {
        final long[] clock = {0};
        private final long dense;
        private final long sparse;

        ChoiceRecheckTestKernels(long dense, long sparse) {
            this.dense = dense;
            this.sparse = sparse;
        }

        @Override
        public Tensor run(KernelKind kind) {
            clock[0] += kind == KernelKind.DENSE ? dense : sparse;
            return Tensor.of(new float[] {kind.ordinal()}, 1);
        }

        @Override
        public Calibration.Probe probe(KernelKind kind) {
            return null;
        }

        @Override
        public void discard(Tensor output) {
        }
    }
}
