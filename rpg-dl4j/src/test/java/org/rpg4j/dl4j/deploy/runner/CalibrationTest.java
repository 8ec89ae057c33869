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
 * The calibration's choice logic on a fake clock: each fake kernel advances the clock by the time given for it at
 * that call, so which candidates run (full or as a slice), which are dropped, which output is returned and what
 * is chosen follow from the injected times alone.
 */
class CalibrationTest {

    private static final List<KernelKind> DENSE_THEN_SPARSE = List.of(KernelKind.DENSE, KernelKind.SPARSE);
    private static final int COUNTING_CALLS = 3;

    /** Fake kernels: full-run times per call (ns, the last repeats), an optional slice of the sparse kernel. */
    private static final class FakeKernels implements Calibration.Kernels {
        final long[] clock = {0};
        final Map<KernelKind, long[]> fullNanos = new EnumMap<>(KernelKind.class);
        final List<String> runs = new ArrayList<>();
        final List<Tensor> discarded = new ArrayList<>();
        final Map<KernelKind, Tensor> lastOutput = new EnumMap<>(KernelKind.class);
        double sliceFraction = Double.NaN;
        int call;

        FakeKernels(long[] dense, long[] sparse) {
            fullNanos.put(KernelKind.DENSE, dense);
            fullNanos.put(KernelKind.SPARSE, sparse);
        }

        long nanos(KernelKind kind) {
            long[] times = fullNanos.get(kind);
            return times[Math.min(call - 1, times.length - 1)];
        }

        @Override
        public Tensor run(KernelKind kind) {
            runs.add(call + " " + kind);
            clock[0] += nanos(kind);
            Tensor output = Tensor.of(new float[] {call}, 1);
            // the timed run comes first; JIT warm-up repeats after it are discarded
            lastOutput.putIfAbsent(kind, output);
            return output;
        }

        @Override
        public Calibration.Probe probe(KernelKind kind) {
            if (kind != KernelKind.SPARSE || Double.isNaN(sliceFraction)) {
                return null;
            }
            return new Calibration.Probe(() -> {
                runs.add(call + " " + kind + " slice");
                clock[0] += Math.round(nanos(kind) * sliceFraction);
            }, sliceFraction, "a slice");
        }

        @Override
        public void discard(Tensor output) {
            discarded.add(output);
        }

        /** Makes {@code calls} calibrating calls (fewer if calibration ends) and returns the runs made. */
        List<String> calls(Calibration calibration, int calls) {
            for (int c = 0; c < calls && !calibration.done(); c++) {
                call++;
                lastOutput.clear();
                Tensor output = calibration.call(this);
                assertSame(lastOutput.get(fastestThisCall()), output,
                        "call " + call + " returns the faster full run's output");
            }
            return runs;
        }

        private KernelKind fastestThisCall() {
            KernelKind best = null;
            for (String run : runs) {
                String[] parts = run.split(" ");
                if (Integer.parseInt(parts[0]) == call && parts.length == 2) {
                    KernelKind kind = KernelKind.valueOf(parts[1]);
                    best = best == null || nanos(kind) < nanos(best) ? kind : best;
                }
            }
            return best;
        }
    }

    private static Calibration calibration(FakeKernels kernels) {
        return new Calibration(DENSE_THEN_SPARSE, COUNTING_CALLS, () -> kernels.clock[0]);
    }

    @Test
    void closeCandidatesAreTimedOncePerCallAndTheWarmUpCallDoesNotCount() {
        // warm-up: sparse 15 (JIT) vs dense 10; then sparse 8, 9, 8 vs dense 10: sparse wins the counting calls
        FakeKernels kernels = new FakeKernels(new long[] {10_000_000}, new long[] {15_000_000, 8_000_000, 9_000_000,
                8_000_000});
        Calibration calibration = calibration(kernels);
        List<String> runs = kernels.calls(calibration, 10);
        // call 1 repeats the 15 ms sparse run once as JIT warm-up (a second repeat would pass 20 ms)
        assertEquals(List.of("1 DENSE", "1 SPARSE", "1 SPARSE", "2 DENSE", "2 SPARSE", "3 DENSE", "3 SPARSE",
                "4 DENSE", "4 SPARSE"), runs);
        assertTrue(calibration.done());
        assertEquals(1 + COUNTING_CALLS, calibration.calls());
        assertEquals(KernelKind.SPARSE, calibration.kind());
        assertEquals(8.0, calibration.millis(KernelKind.SPARSE), 1e-9);
        assertEquals(10.0, calibration.millis(KernelKind.DENSE), 1e-9);
        // one timed run per candidate per call: one of the two outputs of each call is discarded, and the warm-up's
        assertEquals(5, kernels.discarded.size());
        assertThrows(IllegalStateException.class, () -> calibration.call(kernels));
    }

    @Test
    void warmUpTimesAloneDoNotDecide() {
        // the sparse kernel wins only the warm-up call (dense 10 against 9), then loses 12 to 10: dense chosen
        FakeKernels kernels = new FakeKernels(new long[] {10_000_000}, new long[] {9_000_000, 12_000_000});
        Calibration calibration = calibration(kernels);
        kernels.calls(calibration, 10);
        assertEquals(KernelKind.DENSE, calibration.kind());
        assertEquals(12.0, calibration.millis(KernelKind.SPARSE), 1e-9);
    }

    @Test
    void aSliceThatPredictsAClearLossKeepsTheJavaKernelFromEveryFullRun() {
        // full sparse 100 ms against dense 10: its 1/8 slice predicts 100 > 2 x 10, so it never runs in full
        FakeKernels kernels = new FakeKernels(new long[] {10_000_000}, new long[] {100_000_000});
        kernels.sliceFraction = 0.125;
        Calibration calibration = calibration(kernels);
        List<String> runs = kernels.calls(calibration, 10);
        assertEquals(List.of("1 DENSE", "1 SPARSE slice", "1 SPARSE slice", "2 DENSE", "2 SPARSE slice", "3 DENSE",
                "3 SPARSE slice", "4 DENSE", "4 SPARSE slice"), runs);
        assertTrue(calibration.done());
        assertEquals(1 + COUNTING_CALLS, calibration.calls(), "a Java kernel is not dropped early");
        assertEquals(KernelKind.DENSE, calibration.kind());
        assertTrue(Double.isNaN(calibration.millis(KernelKind.SPARSE)), "never timed on the full input");
        assertTrue(calibration.note().contains("SPARSE not run at call 4: a slice predict 100.000 ms > 2.0 x DENSE"),
                calibration.note());
        assertFalse(calibration.note().contains("dropped"), calibration.note());
        assertTrue(kernels.discarded.isEmpty(), "only the dense kernel's outputs, all returned");
    }

    @Test
    void aSliceWithinTheMarginLeadsToTheFullRun() {
        // sparse 15 against dense 10 (1.5x, inside the margin): slice then full run at every call, dense chosen
        FakeKernels kernels = new FakeKernels(new long[] {10_000_000}, new long[] {15_000_000});
        kernels.sliceFraction = 0.125;
        Calibration calibration = calibration(kernels);
        List<String> runs = kernels.calls(calibration, 10);
        // call 1: the 1.9 ms slice is repeated twice, the 15 ms full run once (JIT warm-up within 20 ms each)
        assertEquals(List.of("1 DENSE", "1 SPARSE slice", "1 SPARSE slice", "1 SPARSE slice", "1 SPARSE", "1 SPARSE"),
                runs.subList(0, 6));
        assertEquals(15, runs.size(), runs.toString());
        assertEquals(List.of("4 DENSE", "4 SPARSE slice", "4 SPARSE"), runs.subList(12, 15));
        assertEquals(KernelKind.DENSE, calibration.kind());
        assertFalse(calibration.note().contains("dropped"), calibration.note());
    }

    @Test
    void aKernelLosingClearlyIsDroppedAfterTwoCountingCallsNotOnTheWarmUp() {
        // a very sparse small layer: dense 0.36 ms (libnd4j's fixed cost) against sparse 0.06 ms
        FakeKernels kernels = new FakeKernels(new long[] {360_000}, new long[] {60_000});
        Calibration calibration = calibration(kernels);
        List<String> runs = kernels.calls(calibration, 10);
        // the cheap sparse run is repeated twice at call 1 (JIT warm-up); the native kernel is not
        assertEquals(List.of("1 DENSE", "1 SPARSE", "1 SPARSE", "1 SPARSE", "2 DENSE", "2 SPARSE", "3 DENSE",
                "3 SPARSE"), runs);
        assertTrue(calibration.done());
        assertEquals(KernelKind.SPARSE, calibration.kind());
        assertTrue(calibration.note().contains("DENSE dropped after call 3: best of 2 calls 0.360 ms > 2.0 x SPARSE "
                + "0.060 ms"), calibration.note());
    }

    @Test
    void aJavaKernelLosingClearlyOnlyAtTheWarmUpStaysInTheRace() {
        // sparse 30 ms at the warm-up (JIT) against dense 10, then 7 ms: not dropped at call 1, chosen
        FakeKernels kernels = new FakeKernels(new long[] {10_000_000}, new long[] {30_000_000, 7_000_000});
        Calibration calibration = calibration(kernels);
        kernels.calls(calibration, 10);
        assertEquals(1 + COUNTING_CALLS, calibration.calls());
        assertEquals(KernelKind.SPARSE, calibration.kind());
        assertFalse(calibration.note().contains("SPARSE dropped"), calibration.note());
    }

    @Test
    void aJavaKernelLosingClearlyIsTimedToTheEndAndLoses() {
        FakeKernels kernels = new FakeKernels(new long[] {10_000_000}, new long[] {30_000_000});
        Calibration calibration = calibration(kernels);
        // no JIT warm-up repeat: the 30 ms run alone is past the 20 ms warm-up budget
        List<String> runs = kernels.calls(calibration, 10);
        assertEquals(List.of("1 DENSE", "1 SPARSE", "2 DENSE", "2 SPARSE", "3 DENSE", "3 SPARSE", "4 DENSE",
                "4 SPARSE"), runs);
        assertEquals(KernelKind.DENSE, calibration.kind());
    }

    @Test
    void oneRunHitByTheSchedulerDoesNotDropAKernel() {
        // sparse 8 ms except one 50 ms run at call 2 (a preempted thread) against dense 10: kept, and chosen
        FakeKernels kernels = new FakeKernels(new long[] {10_000_000}, new long[] {8_000_000, 50_000_000,
                8_000_000});
        Calibration calibration = calibration(kernels);
        kernels.calls(calibration, 10);
        assertEquals(1 + COUNTING_CALLS, calibration.calls());
        assertEquals(KernelKind.SPARSE, calibration.kind());
        assertFalse(calibration.note().contains("dropped"), calibration.note());
    }

    @Test
    void afterTheThirdCallACalibratingCallCostsAtMostThreeAndAQuarterRunsOfTheFinalChoice() {
        // the bound the margin gives once the first three calls have dropped clear losers: the winner, a loser at
        // most 2x as slow and its 1/8 slice (1 + 2 x 1.125 = 3.25 runs of the winner); a hopeless sparse kernel costs
        // only its slice at the first three calls, a hopeless dense kernel (no slice) its full run at each
        long[][] sparseTimes = {{100_000_000}, {19_000_000}, {10_500_000}, {4_000_000}, {30_000_000, 9_000_000}};
        for (long[] sparse : sparseTimes) {
            FakeKernels kernels = new FakeKernels(new long[] {10_000_000}, sparse);
            kernels.sliceFraction = 0.125;
            Calibration calibration = calibration(kernels);
            List<Long> callNanos = new ArrayList<>();
            while (!calibration.done()) {
                long before = kernels.clock[0];
                kernels.calls(calibration, 1);
                callNanos.add(kernels.clock[0] - before);
            }
            double chosenNanos = kernels.nanos(calibration.kind());
            // a close race (sparse 9 or 10.5 against dense 10 ms) is timed over COUNTING_CALLS more calls
            long last = sparse[sparse.length - 1];
            boolean close = Math.max(last, 10_000_000) < Calibration.CLOSE_MARGIN * Math.min(last, 10_000_000);
            assertTrue(close ? callNanos.size() == 1 + 2 * COUNTING_CALLS : callNanos.size() == 3 || callNanos
                    .size() == 1 + COUNTING_CALLS, callNanos.toString());
            // the slice keeps a hopeless sparse kernel to its slice at every call
            assertTrue(sparse[0] != 100_000_000 || callNanos.get(1) <= (1 + 0.125 * 10) * chosenNanos, callNanos
                    .toString());
            for (int c = 3; c < callNanos.size(); c++) {
                assertTrue(callNanos.get(c) <= (1 + Calibration.CLEAR_MARGIN * 1.125) * chosenNanos, "sparse "
                        + sparse[sparse.length - 1] + " call " + (c + 1) + ": " + callNanos);
            }
        }
    }

    @Test
    void aCloseRaceIsTimedOverTwiceTheCountingCallsAndAClearOneIsNot() {
        // counting calls: sparse 11, 9.5, 11 against dense 10 (close, within 1.25x); then sparse 9 at calls 5-7
        FakeKernels close = new FakeKernels(new long[] {10_000_000}, new long[] {12_000_000, 11_000_000, 9_500_000,
                11_000_000, 9_000_000});
        Calibration closeCalibration = calibration(close);
        close.calls(closeCalibration, 20);
        assertEquals(1 + 2 * COUNTING_CALLS, closeCalibration.calls());
        assertEquals(KernelKind.SPARSE, closeCalibration.kind());
        assertEquals(9.0, closeCalibration.millis(KernelKind.SPARSE), 1e-9);
        assertTrue(closeCalibration.note().contains("close race after call 4 (9.500 against 10.000 ms"),
                closeCalibration.note());
        // a race that becomes clear during the extension ends there: dense 10 against sparse 9.5, then sparse 5
        FakeKernels clearing = new FakeKernels(new long[] {10_000_000}, new long[] {12_000_000, 11_000_000,
                9_500_000, 11_000_000, 5_000_000});
        Calibration clearingCalibration = calibration(clearing);
        clearing.calls(clearingCalibration, 20);
        assertEquals(2 + COUNTING_CALLS, clearingCalibration.calls());
        assertEquals(KernelKind.SPARSE, clearingCalibration.kind());
        // sparse 8 against dense 10 (1.25x apart, not within it): decided after the counting calls
        FakeKernels clear = new FakeKernels(new long[] {10_000_000}, new long[] {12_000_000, 8_000_000});
        Calibration clearCalibration = calibration(clear);
        clear.calls(clearCalibration, 20);
        assertEquals(1 + COUNTING_CALLS, clearCalibration.calls());
        assertTrue(!clearCalibration.note().contains("close race"), clearCalibration.note());
    }

    @Test
    void oneCandidateNeedsNoCalibration() {
        Calibration calibration = new Calibration(List.of(KernelKind.DENSE), COUNTING_CALLS, () -> 0L);
        assertTrue(calibration.done());
        assertEquals(KernelKind.DENSE, calibration.kind());
    }
}
