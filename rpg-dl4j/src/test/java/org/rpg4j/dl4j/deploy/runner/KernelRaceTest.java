package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.LoggerFactory;

/** {@link KernelRace}: the race, its rechecks (times given as an injected clock would measure them), bad input. */
class KernelRaceTest {

    private static final KernelKind ALT = KernelKind.SPARSE_BATCHED;
    private static final int RUNS = 4;

    private static KernelRace race() {
        return new KernelRace("layer", ALT, "batched", RUNS, LoggerFactory.getLogger(KernelRaceTest.class));
    }

    /** The race at one batch size: a warm-up pair, then the given times {@code RUNS - 1} times. */
    private static void decide(KernelRace race, int batch, long perImage, long alternative) {
        for (int run = 0; run < RUNS; run++) {
            assertNull(race.next(batch), "both kernels are timed during the race");
            race.record(batch, run == 0 ? 1 : perImage, run == 0 ? 1 : alternative);
        }
    }

    /** Runs calls until the next recheck call (next returns null), recording the times there; @return the calls. */
    private static int untilRecheck(KernelRace race, int batch, KernelKind kept, long perImage, long alternative) {
        int calls = 0;
        KernelKind kind;
        while ((kind = race.next(batch)) != null) {
            assertEquals(kept, kind);
            assertEquals(kept, race.choice(batch));
            calls++;
            assertTrue(calls <= ChoiceRecheck.LAST_RECHECK, "no recheck call");
        }
        race.record(batch, perImage, alternative);
        race.record(batch, perImage, alternative);
        return calls;
    }

    @Test
    void raceDecidesOnTheFastestRunsAfterTheWarmUp() {
        KernelRace race = race();
        assertNull(race.choice(8));
        // the warm-up pair (1 ns each) is not counted
        decide(race, 8, 300, 200);
        assertEquals(ALT, race.choice(8));
        assertEquals(ALT, race.next(8));
        assertNull(race.choice(64), "each batch size has its own race");
    }

    @Test
    void recheckTakesTheKernelThatBecameFaster() {
        KernelRace race = race();
        // cold per-image code during the race: the batched kernel wins
        decide(race, 64, 500, 400);
        assertEquals(ALT, race.choice(64));
        // calls 1-7 after the decision run the batched kernel, call 8 is a recheck: the compiled per-image kernel
        // now runs at 200 ns
        assertEquals(ChoiceRecheck.FIRST_RECHECK - 1, untilRecheck(race, 64, ALT, 200, 410));
        assertEquals(ALT, race.choice(64), "the recheck call itself does not change the choice");
        assertEquals(KernelKind.SPARSE, race.next(64), "the call after the recheck runs the faster kernel");
        assertEquals(KernelKind.SPARSE, race.choice(64));
        assertEquals(1, race.switches(64));
        // another batch size's race is untouched
        decide(race, 8, 500, 400);
        assertEquals(ALT, race.choice(8));
        assertEquals(0, race.switches(8));
    }

    @Test
    void oneDisturbedRecheckRunDoesNotFlipTheChoice() {
        KernelRace race = race();
        decide(race, 64, 200, 400);
        assertEquals(KernelKind.SPARSE, race.choice(64));
        // the kept kernel's recheck runs lost the CPU (50x); the race's fastest run still counts
        untilRecheck(race, 64, KernelKind.SPARSE, 10_000, 390);
        assertEquals(KernelKind.SPARSE, race.next(64));
        // the other kernel within the margin of the kept one's fastest run: no switch either
        untilRecheck(race, 64, KernelKind.SPARSE, 10_000, Math.round(200 * (1 - KernelRace.SWITCH_MARGIN)) + 1);
        assertEquals(KernelKind.SPARSE, race.next(64));
        assertEquals(0, race.switches(64));
        // clearly faster: switch
        untilRecheck(race, 64, KernelKind.SPARSE, 10_000, 150);
        assertEquals(ALT, race.next(64));
        assertEquals(1, race.switches(64));
    }

    @Test
    void rechecksAreExponentiallySpacedAndEnd() {
        KernelRace race = race();
        decide(race, 16, 200, 300);
        List<Integer> rechecks = new ArrayList<>();
        for (int call = 1; call <= 3 * ChoiceRecheck.LAST_RECHECK; call++) {
            if (race.next(16) == null) {
                rechecks.add(call);
                race.record(16, 200, 300);
            }
        }
        assertEquals(List.of(8, 16, 32, 64, 128), rechecks);
        assertEquals(KernelKind.SPARSE, race.choice(16));
        assertTrue(race.settled(16), "settled after the last recheck");
    }

    @Test
    void settleForcesTwoRechecksThenTimesNothing() {
        KernelRace race = race();
        decide(race, 16, 300, 200);
        assertEquals(ALT, race.next(16));
        race.settle(16);
        long work = TimingWork.count();
        assertNull(race.next(16), "first forced recheck");
        race.record(16, 100, 250);
        assertNull(race.next(16), "second forced recheck");
        race.record(16, 100, 250);
        assertEquals(KernelKind.SPARSE, race.next(16), "the warm per-image runs (100 ns) win by more than 10 %");
        assertTrue(race.settled(16));
        for (int call = 0; call < 10 * ChoiceRecheck.LAST_RECHECK; call++) {
            assertEquals(KernelKind.SPARSE, race.next(16));
        }
        assertEquals(work + 2, TimingWork.count());
    }

    @Test
    void aPresetKernelIsNeverTimed() {
        KernelRace race = race();
        race.preset(32, ALT);
        long work = TimingWork.count();
        for (int call = 0; call < 200; call++) {
            assertEquals(ALT, race.next(32));
        }
        assertEquals(work, TimingWork.count());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> race.preset(32,
                KernelKind.SPARSE_SMALL_PLANE)).getMessage().contains("must be SPARSE or SPARSE_BATCHED"));
    }

    @Test
    void badInputIsRefused() {
        KernelRace race = race();
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class, () -> race.next(0));
        assertTrue(batch.getMessage().contains("batch") && batch.getMessage().contains("0"), batch.getMessage());
        assertThrows(IllegalArgumentException.class, () -> race.record(-1, 1, 1));
        IllegalArgumentException time = assertThrows(IllegalArgumentException.class, () -> race.record(8, -5, 1));
        assertTrue(time.getMessage().contains("perImageNanos -5"), time.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new KernelRace("l", KernelKind.SPARSE, "x", RUNS,
                LoggerFactory.getLogger(KernelRaceTest.class)));
        assertThrows(IllegalArgumentException.class, () -> new KernelRace("l", null, "x", RUNS,
                LoggerFactory.getLogger(KernelRaceTest.class)));
        IllegalArgumentException runs = assertThrows(IllegalArgumentException.class, () -> new KernelRace("l", ALT,
                "x", 1, LoggerFactory.getLogger(KernelRaceTest.class)));
        assertTrue(runs.getMessage().contains("runs") && runs.getMessage().contains("1"), runs.getMessage());
    }

    @Test
    void outputsMatchDl4jThroughTheRechecks() {
        // small planes at batch 8 under the sparse policy: the race, then rechecks at calls 8 and 16 after it,
        // where both kernels run again and the batched kernel's output is used; every call must match DL4J
        ComputationGraph graph = PrunedNetworks.prune(BatchedKernelRunnerTest.smallPlanes(), 0.8, 11);
        SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(KernelPolicy.SPARSE));
        int batch = BatchedCandidate.MIN_BATCH;
        INDArray[] inputs = new INDArray[3];
        INDArray[] expected = new INDArray[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = Nd4j.rand(DataType.FLOAT, batch, 3, 8, 8);
            expected[i] = graph.outputSingle(inputs[i]);
        }
        for (int call = 0; call < BatchedCandidate.TIMED_RUNS + 2 * ChoiceRecheck.FIRST_RECHECK + 2; call++) {
            INDArray output = runner.output(inputs[call % inputs.length])[0];
            double difference = PrunedNetworks.maxAbsDifference(output, expected[call % inputs.length]);
            assertTrue(difference < 1e-4, "call " + call + ": " + difference);
        }
    }
}
