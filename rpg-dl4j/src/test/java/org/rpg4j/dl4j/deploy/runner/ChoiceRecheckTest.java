package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The recheck after a calibration on a fake clock: each fake kernel advances the clock by its time at that call, so
 * which kernel runs, which output is returned and when the choice switches follow from the injected times alone.
 */
class ChoiceRecheckTest {

    private static final List<KernelKind> KINDS = List.of(KernelKind.DENSE, KernelKind.SPARSE);

    /** Fake kernels with a time per kind (ns) that the test may change between calls, and an optional slice. */
    private static class FakeKernels implements Calibration.Kernels {
        final long[] clock = {0};
        final Map<KernelKind, Long> nanos = new EnumMap<>(KernelKind.class);
        final List<KernelKind> runs = new ArrayList<>();
        final List<Tensor> discarded = new ArrayList<>();
        final Map<KernelKind, Tensor> outputs = new EnumMap<>(KernelKind.class);
        double sliceFraction = Double.NaN;
        int slices;

        FakeKernels(long dense, long sparse) {
            nanos.put(KernelKind.DENSE, dense);
            nanos.put(KernelKind.SPARSE, sparse);
        }

        @Override
        public Tensor run(KernelKind kind) {
            runs.add(kind);
            clock[0] += nanos.get(kind);
            Tensor output = Tensor.of(new float[] {kind.ordinal()}, 1);
            outputs.put(kind, output);
            return output;
        }

        @Override
        public Calibration.Probe probe(KernelKind kind) {
            if (kind != KernelKind.SPARSE || Double.isNaN(sliceFraction)) {
                return null;
            }
            return new Calibration.Probe(() -> {
                slices++;
                clock[0] += Math.round(nanos.get(kind) * sliceFraction);
            }, sliceFraction, "a slice");
        }

        @Override
        public void discard(Tensor output) {
            discarded.add(output);
        }
    }

    private static ChoiceRecheck recheck(KernelKind chosen, FakeKernels kernels) {
        return new ChoiceRecheck(KINDS, chosen, () -> kernels.clock[0]);
    }

    @Test
    void recheckCallsAreEightSixteenAndSoOnUpToTheLast() {
        List<Long> due = new ArrayList<>();
        for (long call = 1; call <= 10_000; call++) {
            if (ChoiceRecheck.recheckDue(call)) {
                due.add(call);
            }
        }
        assertEquals(List.of(8L, 16L, 32L, 64L, 128L), due, "the last, at call 128, settles");
    }

    @Test
    void aChoiceMadeOnColdCodeSwitchesAtTheFirstRecheckAndOnlyThen() {
        // the calibration chose DENSE (100 us) while the sparse kernel was cold; compiled it takes 10 us
        FakeKernels kernels = new FakeKernels(100_000, 10_000);
        ChoiceRecheck recheck = recheck(KernelKind.DENSE, kernels);
        for (int call = 1; call <= 7; call++) {
            kernels.outputs.clear();
            Tensor output = recheck.call(kernels);
            assertSame(kernels.outputs.get(KernelKind.DENSE), output, "call " + call + " returns the kept kernel's");
            assertEquals(KernelKind.DENSE, recheck.kind());
        }
        assertEquals(List.of(KernelKind.DENSE), kernels.runs.stream().distinct().toList(), "no sparse run before 8");
        kernels.outputs.clear();
        Tensor eighth = recheck.call(kernels);
        assertSame(kernels.outputs.get(KernelKind.DENSE), eighth, "the switching call still returns the kept output");
        assertEquals(2, kernels.discarded.size(), "both recheck runs discarded");
        assertSame(kernels.outputs.get(KernelKind.SPARSE), kernels.discarded.get(1));
        assertEquals(KernelKind.SPARSE, recheck.kind());
        assertEquals(0.01, recheck.millis(KernelKind.SPARSE), 1e-12);
        assertEquals(0.1, recheck.millis(KernelKind.DENSE), 1e-12);
        assertTrue(recheck.note().contains("call 8 switched to SPARSE"), recheck.note());
        kernels.runs.clear();
        recheck.call(kernels);
        assertEquals(List.of(KernelKind.SPARSE), kernels.runs, "call 9 runs the new choice only");
    }

    @Test
    void aRightChoiceIsKeptAndTheRecheckCostsTwoRunsOfTheOtherKernel() {
        FakeKernels kernels = new FakeKernels(100_000, 10_000);
        ChoiceRecheck recheck = recheck(KernelKind.SPARSE, kernels);
        for (int call = 1; call <= 5000; call++) {
            recheck.call(kernels);
        }
        assertEquals(KernelKind.SPARSE, recheck.kind());
        assertEquals(4 * 2 + 1 + ChoiceRecheck.SETTLE_RUNS, kernels.runs.stream().filter(k -> k == KernelKind.DENSE)
                .count(), "two runs per recheck at 8, 16, 32 and 64, then the settling call's untimed and timed runs");
        assertEquals(5000 - 1 + ChoiceRecheck.SETTLE_RUNS, kernels.runs.stream().filter(k -> k == KernelKind.SPARSE)
                .count());
        assertTrue(recheck.settled());
        assertTrue(recheck.note().startsWith("; settled at call 128 on medians of 5 warm runs: SPARSE 0.010, DENSE"
                + " 0.100 ms -> SPARSE"), recheck.note());
    }

    /** Kernels whose successive runs of one kind take the given times in turn (the last repeats). */
    private static final class SequencedKernels extends FakeKernels {
        final Map<KernelKind, List<Long>> sequence = new EnumMap<>(KernelKind.class);

        SequencedKernels(List<Long> dense, List<Long> sparse) {
            super(0, 0);
            sequence.put(KernelKind.DENSE, new ArrayList<>(dense));
            sequence.put(KernelKind.SPARSE, new ArrayList<>(sparse));
        }

        @Override
        public Tensor run(KernelKind kind) {
            List<Long> times = sequence.get(kind);
            nanos.put(kind, times.size() > 1 ? times.remove(0) : times.get(0));
            return super.run(kind);
        }
    }

    @Test
    void settlingDecidesByMediansOfWarmRunsNotByOneFastRun() {
        // the other kernel's untimed first run is cold (900 us); one timed run is lucky (10 us), the others 200 us
        SequencedKernels kernels = new SequencedKernels(List.of(100_000L), List.of(900_000L, 10_000L, 200_000L));
        ChoiceRecheck recheck = recheck(KernelKind.DENSE, kernels);
        long work = TimingWork.count();
        Tensor output = recheck.settle(kernels);
        assertEquals(work + 1, TimingWork.count(), "the settling call is timing work");
        assertFalse(kernels.discarded.contains(output), "the kept kernel's first output is returned");
        assertEquals(2 * ChoiceRecheck.SETTLE_RUNS, kernels.discarded.size(), "its other runs and the other kernel's"
                + " timed runs are discarded");
        assertEquals(KernelKind.DENSE, recheck.kind(), "the median, 200 us, loses to 100 us");
        assertEquals(0.2, recheck.millis(KernelKind.SPARSE), 1e-12);
        assertEquals(List.of(KernelKind.SPARSE, KernelKind.DENSE, KernelKind.SPARSE, KernelKind.SPARSE,
                KernelKind.DENSE), kernels.runs.subList(0, 5), "the other kernel warms up, then they alternate");
        kernels.runs.clear();
        for (int call = 0; call < 5000; call++) {
            recheck.call(kernels);
        }
        assertEquals(work + 1, TimingWork.count(), "nothing timed after settling");
        assertEquals(5000, kernels.runs.stream().filter(k -> k == KernelKind.DENSE).count());
        assertEquals(5000, kernels.runs.size());
    }

    @Test
    void settlingSwitchesACloseRaceToTheLowerMedian() {
        FakeKernels kernels = new FakeKernels(100_000, 90_000);
        ChoiceRecheck recheck = recheck(KernelKind.DENSE, kernels);
        recheck.settle(kernels);
        assertEquals(KernelKind.SPARSE, recheck.kind());
        assertTrue(recheck.note().contains("DENSE 0.100, SPARSE 0.090 ms -> SPARSE"), recheck.note());
        kernels.runs.clear();
        recheck.settle(kernels);
        assertEquals(List.of(KernelKind.SPARSE), kernels.runs, "settling again runs the choice only");
    }

    @Test
    void theFastestRecheckRunCountsSoOneDisturbedRunDoesNotSwitch() {
        FakeKernels kernels = new FakeKernels(100_000, 10_000);
        ChoiceRecheck recheck = recheck(KernelKind.SPARSE, kernels);
        for (int call = 1; call <= 8; call++) {
            recheck.call(kernels);
        }
        // at the second recheck (call 16) the sparse run is disturbed (500 us): its fastest recheck run is 10 us
        kernels.nanos.put(KernelKind.SPARSE, 500_000L);
        for (int call = 9; call <= 16; call++) {
            recheck.call(kernels);
        }
        assertEquals(KernelKind.SPARSE, recheck.kind());
        // the dense kernel becomes faster for good: switched at the next recheck (call 32), not before
        kernels.nanos.put(KernelKind.SPARSE, 10_000L);
        kernels.nanos.put(KernelKind.DENSE, 5_000L);
        for (int call = 17; call <= 31; call++) {
            recheck.call(kernels);
            assertEquals(KernelKind.SPARSE, recheck.kind(), "call " + call);
        }
        recheck.call(kernels);
        assertEquals(KernelKind.DENSE, recheck.kind());
    }

    @Test
    void bothKernelsAreTimedAtTheSameCallsOnlySoManyKeptRunsDoNotBiasTheChoice() {
        // the kept kernel is fast only between rechecks (an idle moment), slow whenever a recheck runs (load): it
        // must lose to the other kernel, timed at the same calls, and not win on a minimum over all its calls
        FakeKernels kernels = new FakeKernels(20_000, 50_000);
        ChoiceRecheck recheck = recheck(KernelKind.SPARSE, kernels);
        for (int call = 1; call <= 8; call++) {
            kernels.nanos.put(KernelKind.SPARSE, ChoiceRecheck.recheckDue(call) ? 50_000L : 1_000L);
            recheck.call(kernels);
        }
        assertEquals(KernelKind.DENSE, recheck.kind());
        assertEquals(0.05, recheck.millis(KernelKind.SPARSE), 1e-12);
    }

    @Test
    void aSparseRecheckRunsOnlyItsSliceWhereItHasOne() {
        FakeKernels kernels = new FakeKernels(100_000, 50_000);
        kernels.sliceFraction = 0.25;
        ChoiceRecheck recheck = recheck(KernelKind.DENSE, kernels);
        for (int call = 1; call <= 8; call++) {
            recheck.call(kernels);
        }
        assertEquals(1, kernels.slices);
        assertFalse(kernels.runs.contains(KernelKind.SPARSE), "no full sparse run");
        assertEquals(KernelKind.SPARSE, recheck.kind(), "predicted 50 us from the slice beats 100 us");
        assertEquals(0.05, recheck.millis(KernelKind.SPARSE), 1e-9);
    }

    @Test
    void theCalibrationsFastestRunsCountSoADisturbedFirstRecheckDoesNotUndoTheDecision() {
        // calibrated: sparse 10 us, dense 20 us; at the first recheck the kept sparse run is disturbed (50 us)
        FakeKernels kernels = new FakeKernels(20_000, 50_000);
        ChoiceRecheck recheck = new ChoiceRecheck(KINDS, KernelKind.SPARSE, () -> kernels.clock[0], Map.of(
                KernelKind.SPARSE, 10_000L, KernelKind.DENSE, 20_000L));
        for (int call = 1; call <= 8; call++) {
            recheck.call(kernels);
        }
        assertEquals(KernelKind.SPARSE, recheck.kind(), "10 us calibrated beats 20 us");
        assertEquals(0.01, recheck.millis(KernelKind.SPARSE), 1e-12);
        assertEquals("", recheck.note());
        // without the calibration's runs the same recheck switches
        FakeKernels again = new FakeKernels(20_000, 50_000);
        ChoiceRecheck alone = recheck(KernelKind.SPARSE, again);
        for (int call = 1; call <= 8; call++) {
            alone.call(again);
        }
        assertEquals(KernelKind.DENSE, alone.kind());
        // calibrated on cold code (dense kept at 100 us, sparse 900 us): a compiled sparse run (10 us) still switches
        FakeKernels cold = new FakeKernels(100_000, 10_000);
        ChoiceRecheck fromCold = new ChoiceRecheck(KINDS, KernelKind.DENSE, () -> cold.clock[0], Map.of(
                KernelKind.SPARSE, 900_000L, KernelKind.DENSE, 100_000L));
        for (int call = 1; call <= 8; call++) {
            fromCold.call(cold);
        }
        assertEquals(KernelKind.SPARSE, fromCold.kind());
    }

    @Test
    void theOtherKernelsColdFirstRecheckRunDoesNotHideItsSpeed() {
        // kept sparse at 15 us; dense takes 20 us on its first run at a recheck (cold), 12 us on the next
        long[] denseRuns = {0};
        FakeKernels kernels = new FakeKernels(12_000, 15_000) {
            @Override
            public Tensor run(KernelKind kind) {
                if (kind == KernelKind.DENSE) {
                    nanos.put(KernelKind.DENSE, denseRuns[0]++ % 2 == 0 ? 20_000L : 12_000L);
                }
                return super.run(kind);
            }
        };
        ChoiceRecheck recheck = recheck(KernelKind.SPARSE, kernels);
        for (int call = 1; call <= 8; call++) {
            recheck.call(kernels);
        }
        assertEquals(2, denseRuns[0]);
        assertEquals(KernelKind.DENSE, recheck.kind(), "the second run (12 us) beats the kept 15 us");
        assertEquals(0.012, recheck.millis(KernelKind.DENSE), 1e-12);
    }

    @Test
    void badArgumentsAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ChoiceRecheck(KINDS, KernelKind.DENSE,
                () -> 0L, null)).getMessage().contains("calibrated must not be null"));
        FakeKernels kernels = new FakeKernels(1, 1);
        assertThrows(IllegalArgumentException.class, () -> new ChoiceRecheck(List.of(KernelKind.DENSE),
                KernelKind.DENSE, () -> kernels.clock[0]));
        assertThrows(IllegalArgumentException.class, () -> new ChoiceRecheck(KINDS, KernelKind.JAVA,
                () -> kernels.clock[0]));
        assertThrows(IllegalArgumentException.class, () -> new ChoiceRecheck(null, KernelKind.DENSE,
                () -> kernels.clock[0]));
    }
}
