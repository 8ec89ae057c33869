package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.sparse.kernel.CallThreads;
import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * A runner that settles: after {@link SparseRunner#calibrate}, and by itself after a bounded number of calls, no
 * call times anything ({@link TimingWork}: neither kernel timing in the steps nor timed whole calls); a saved
 * {@link TuningPlan} gives a fresh runner the same choices and outputs without timing, and a plan that does not fit
 * is rejected naming its entry.
 */
class SettlingRunnerTest {

    /**
     * Calls after which a runner without {@link SparseRunner#calibrate} must have settled a batch size: the kernels'
     * settling at about call 135, then the race between the two plans ({@link PlanRace}, about 55 calls).
     */
    private static final int SETTLED_BY = 220;

    private static final ComputationGraph GRAPH = PrunedNetworks.prune(PrunedNetworks.basicBlock(4, false), 0.4, 7);

    /** Input planes 4x4: batch 8 races the batched kernel, batch 1 the small-plane one (density 0.6). */
    private static INDArray input(int batch) {
        Nd4j.getRandom().setSeed(batch);
        return Nd4j.rand(DataType.FLOAT, batch, 3, 4, 4);
    }

    private static long[] timingCounts() {
        return new long[] {TimingWork.count(), TimingWork.timedCalls()};
    }

    @Test
    void afterCalibrateNoCallTimesAnythingAndOutputsMatchDl4j() {
        SparseRunner runner = SparseRunner.compile(GRAPH, RunnerOptions.defaults());
        INDArray x = input(8);
        INDArray expected = GRAPH.outputSingle(x);
        CalibrationReport report = runner.calibrate(x);
        assertEquals(8, report.batch());
        assertTrue(report.calls() >= CallThreadsCheck.WARM_UP_CALLS + 2 * PlanRace.TURN_CALLS * PlanRace.PAIRS,
                "the warm-up and the plan race: " + report);
        assertNotNull(report.threads());
        assertTrue(report.choices().stream().allMatch(c -> c.calibration().contains("plans raced over")), report
                .choices().toString());
        assertTrue(report.millis() > 0);
        assertTrue(report.choices().stream().allMatch(c -> c.batch() == 8 || c.batch() == 0), report.choices()
                .toString());
        long[] before = timingCounts();
        for (int call = 0; call < 300; call++) {
            assertTrue(PrunedNetworks.maxAbsDifference(expected, runner.output(x)[0]) < 1e-4, "call " + call);
        }
        assertArrayEquals(before, timingCounts(), "no kernel timing and no timed whole call after calibrate");
        // another batch size still calibrates by itself
        runner.output(input(1));
        assertNotEquals(before[0], TimingWork.count());
    }

    @Test
    void withoutCalibrateTheRunnerSettlesWithinBoundedCalls() {
        SparseRunner runner = SparseRunner.compile(GRAPH, RunnerOptions.defaults());
        for (int batch : new int[] {8, 1}) {
            INDArray x = input(batch);
            INDArray expected = GRAPH.outputSingle(x);
            long[] start = timingCounts();
            for (int call = 0; call < SETTLED_BY; call++) {
                // the calls of the plan race switch kernels and threads from call to call
                assertTrue(PrunedNetworks.maxAbsDifference(expected, runner.output(x)[0]) < 1e-4, "batch " + batch
                        + " call " + call);
            }
            long[] settled = timingCounts();
            assertTrue(settled[0] > start[0] && settled[1] > start[1], "batch " + batch + " timed at first");
            for (int call = 0; call < 500; call++) {
                runner.output(x);
            }
            assertArrayEquals(settled, timingCounts(), "batch " + batch + ": nothing timed after call "
                    + SETTLED_BY);
        }
        assertTrue(runner.report().stream().anyMatch(c -> c.calibration().contains("settled at call 128")), runner
                .report().toString());
        // both batch sizes kept the faster of the two complete plans (PlanRace)
        assertTrue(runner.report().stream().allMatch(c -> c.calibration().contains("plans raced over")), runner
                .report().toString());
        assertTrue(runner.report().stream().anyMatch(c -> c.batch() == 0 && c.calibration().matches(
                ".*batch 1 whole calls put .*plans raced over.*batch 8 whole calls put .*plans raced over.*")), runner
                        .report().toString());
    }

    @Test
    void aSavedPlanGivesTheSameChoicesAndOutputsWithoutTiming() {
        SparseRunner calibrated = SparseRunner.compile(GRAPH, RunnerOptions.defaults());
        calibrated.calibrate(input(8));
        calibrated.calibrate(input(1));
        TuningPlan plan = calibrated.tuningPlan();
        assertEquals(List.of(1, 8), plan.batches().stream().map(TuningPlan.Batch::batch).toList());
        String json = plan.toJson();
        assertEquals(plan, TuningPlan.fromJson(json));

        SparseRunner deployed = SparseRunner.compile(GRAPH, RunnerOptions.defaults()).applyPlan(TuningPlan.fromJson(
                json));
        assertEquals(plan, deployed.tuningPlan());
        long[] before = timingCounts();
        for (int batch : new int[] {8, 1}) {
            INDArray x = input(batch);
            for (int call = 0; call < 50; call++) {
                assertArrayEquals(calibrated.output(x)[0].data().asFloat(), deployed.output(x)[0].data().asFloat(),
                        "batch " + batch + " call " + call);
            }
        }
        assertArrayEquals(before, timingCounts(), "nothing timed in either runner");
        assertTrue(deployed.report().stream().anyMatch(c -> c.calibration().contains("from a saved plan")));
    }

    @Test
    void aPlanSetsEachKernelAndTheThreads() {
        SparseRunner runner = SparseRunner.compile(GRAPH, RunnerOptions.defaults());
        runner.calibrate(input(8));
        TuningPlan.Batch calibrated = runner.tuningPlan().batch(8);
        // every convolution on a kernel other than the one calibrated, the threads the other way round
        List<TuningPlan.Layer> layers = new ArrayList<>();
        for (TuningPlan.Layer layer : calibrated.layers()) {
            KernelKind other = !layer.operation().startsWith("conv") ? layer.kernel()
                    : layer.kernel() == KernelKind.DENSE ? KernelKind.SPARSE_BATCHED
                    : layer.kernel() == KernelKind.SPARSE_BATCHED ? KernelKind.SPARSE : KernelKind.DENSE;
            layers.add(new TuningPlan.Layer(layer.name(), layer.operation(), other));
        }
        CallThreads threads = calibrated.threads() == CallThreads.CALLER ? CallThreads.POOL_ABOVE_THRESHOLD
                : CallThreads.CALLER;
        TuningPlan wanted = new TuningPlan(List.of(new TuningPlan.Batch(8, threads, layers)));
        SparseRunner deployed = SparseRunner.compile(GRAPH, RunnerOptions.defaults()).applyPlan(wanted);
        INDArray x = input(8);
        long[] before = timingCounts();
        assertTrue(PrunedNetworks.maxAbsDifference(GRAPH.outputSingle(x), deployed.output(x)[0]) < 1e-4);
        assertArrayEquals(before, timingCounts());
        assertEquals(wanted, deployed.tuningPlan());
        assertTrue(deployed.report().stream().filter(c -> c.operation().startsWith("conv")).allMatch(c -> c
                .calibration().contains("from a saved plan") && c.calibration().contains("whole calls put")),
                deployed.report().toString());
    }

    @Test
    void aPlanThatDoesNotFitIsRejectedNamingTheEntryAndNothingIsLoaded() {
        SparseRunner source = SparseRunner.compile(GRAPH, RunnerOptions.defaults());
        source.calibrate(input(8));
        TuningPlan.Batch good = source.tuningPlan().batch(8);
        TuningPlan.Layer first = good.layers().get(0);
        assertRejected(withFirst(good, l -> new TuningPlan.Layer("elsewhere", l.operation(), l.kernel())),
                "plan entry batch 8 layer 0 is elsewhere");
        assertRejected(withFirst(good, l -> new TuningPlan.Layer(l.name(), "conv 5x5/1 3->8", l.kernel())),
                "another network");
        assertRejected(withFirst(good, l -> new TuningPlan.Layer(l.name(), l.operation(),
                KernelKind.SPARSE_SMALL_PLANE)), "layer 0 " + first.name() + " kernel SPARSE_SMALL_PLANE is not "
                        + "allowed: SPARSE_BATCHED runs from batch 8");
        assertRejected(withFirst(good, l -> new TuningPlan.Layer(l.name(), l.operation(), KernelKind.JAVA)),
                "the kernel must be DENSE, SPARSE");
        assertRejected(new TuningPlan(List.of(new TuningPlan.Batch(8, good.threads(), good.layers().subList(1, good
                .layers().size())))), "lists " + (good.layers().size() - 1) + " layers");
        // policy SPARSE forces the sparse kernel; a runner that does not choose threads takes no choice of threads
        SparseRunner sparseOnly = SparseRunner.compile(GRAPH, RunnerOptions.defaults().withPolicy(KernelPolicy.SPARSE)
                .withThreading(KernelThreading.CALLER_ONLY));
        TuningPlan dense = new TuningPlan(List.of(new TuningPlan.Batch(8, null, good.layers().stream().map(
                l -> new TuningPlan.Layer(l.name(), l.operation(), KernelKind.DENSE)).toList())));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> sparseOnly.applyPlan(dense)).getMessage()
                .contains("its policy, density or layer type make it run SPARSE"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> sparseOnly.applyPlan(new TuningPlan(List.of(
                good)))).getMessage().contains("has threads " + good.threads()));
        assertThrows(IllegalArgumentException.class, () -> source.applyPlan(null));
    }

    @Test
    void badJsonIsRejectedNamingTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TuningPlan.fromJson("{not json"))
                .getMessage().startsWith("json is not valid JSON"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TuningPlan.fromJson("{\"format\":\"x\"}"))
                .getMessage().contains("format \"rpg4j-runner-plan\" and version 1"));
        String head = "{\"format\":\"rpg4j-runner-plan\",\"version\":1,\"batches\":[{\"batch\":4,\"threads\":";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TuningPlan.fromJson(head
                + "\"BOTH\",\"layers\":[]}]}")).getMessage().startsWith("batches[0].threads must be one of"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TuningPlan.fromJson(head
                + "null,\"layers\":[{\"name\":\"c0\",\"operation\":\"conv\",\"kernel\":\"FAST\"}]}]}")).getMessage()
                .startsWith("batches[0].layers[0].kernel must be one of"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TuningPlan.fromJson(head
                + "null,\"layers\":[{\"name\":\"c0\",\"kernel\":\"DENSE\"}]}]}")).getMessage()
                .startsWith("batches[0].layers[0] must have text fields name and operation"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TuningPlan.fromJson(head
                + "null,\"layers\":[]},{\"batch\":4,\"layers\":[]}]}")).getMessage()
                .contains("each batch size once"));
        assertEquals(new TuningPlan(List.of(new TuningPlan.Batch(4, null, List.of()))), TuningPlan.fromJson(head
                + "null,\"layers\":[]}]}"));
    }

    private static TuningPlan withFirst(TuningPlan.Batch batch, UnaryOperator<TuningPlan.Layer> change) {
        List<TuningPlan.Layer> layers = new ArrayList<>(batch.layers());
        layers.set(0, change.apply(layers.get(0)));
        return new TuningPlan(List.of(new TuningPlan.Batch(batch.batch(), batch.threads(), layers)));
    }

    /** Rejected with the message part; the runner then still calibrates at that batch size (nothing loaded). */
    private static void assertRejected(TuningPlan plan, String messagePart) {
        SparseRunner runner = SparseRunner.compile(GRAPH, RunnerOptions.defaults());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> runner.applyPlan(plan));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        long work = TimingWork.count();
        runner.output(input(8));
        assertNotEquals(work, TimingWork.count(), "nothing loaded: the first call calibrates");
    }
}
