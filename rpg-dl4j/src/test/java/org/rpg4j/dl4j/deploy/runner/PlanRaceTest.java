package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.rpg4j.sparse.kernel.CallThreads;
import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * {@link PlanRace} on steps whose kernels take fixed times on a fake clock, per kernel and per whole-call choice of
 * threads: each plan's kernel choices are made on its own threads, the race keeps the plan with the lower median
 * call time (the caller on a tie), and the winner's kernels stay.
 */
class PlanRaceTest {

    private static final CallThreads CALLER = CallThreads.CALLER;
    private static final CallThreads POOL = CallThreads.POOL_ABOVE_THRESHOLD;
    private static final long MS = 1_000_000L;
    private static final int BATCH = 1;

    /** A step whose dense and sparse kernels advance the fake clock by a time that depends on the call's threads. */
    private static final class FakeStep extends CalibratedStep {
        private final AtomicLong clock;
        private final Map<CallThreads, long[]> nanos = new EnumMap<>(CallThreads.class);
        /** Kernel runs after {@link #log} was set: kernel and threads. */
        private List<String> log;

        FakeStep(String name, AtomicLong clock, Times times) {
            super(name, "fake " + name, 0.5, RunnerOptions.defaults(), true, clock::get);
            this.clock = clock;
            nanos.put(CALLER, new long[] {times.callerDense() * MS, times.callerSparse() * MS});
            nanos.put(POOL, new long[] {times.poolDense() * MS, times.poolSparse() * MS});
        }

        @Override
        void checkInput(Tensor input) {
        }

        @Override
        Tensor runSparse(Tensor[] inputs) {
            return advance(1, "SPARSE");
        }

        @Override
        Tensor runDense(Tensor[] inputs) {
            return advance(0, "DENSE");
        }

        private Tensor advance(int kernel, String kind) {
            CallThreads threads = KernelThreading.choice();
            clock.addAndGet(nanos.get(threads)[kernel]);
            if (log != null) {
                log.add(kind + "@" + threads);
            }
            return Tensor.of(new float[] {1}, 1);
        }
    }

    /** A fake step's kernel times in ms: dense and sparse on the caller, dense and sparse on the pool. */
    private record Times(long callerDense, long callerSparse, long poolDense, long poolSparse) {
    }

    /** Outcome of a race on two fake steps. */
    private record Outcome(CallThreads winner, String note, FakeStep a, FakeStep b, List<String> logA) {
    }

    /**
     * Makes steps "a" and "b" on one fake clock, settles both on the caller (as {@link SparseRunner#calibrate} does),
     * then runs the plan race to its end.
     *
     * @param timesA first step's kernel times
     * @param timesB second step's kernel times
     * @param slowPoolCall every how many pool calls one is 100 ms slower (0: none)
     */
    private static Outcome race(Times timesA, Times timesB, int slowPoolCall) {
        AtomicLong clock = new AtomicLong();
        FakeStep a = new FakeStep("a", clock, timesA);
        FakeStep b = new FakeStep("b", clock, timesB);
        Tensor[] in = {Tensor.of(new float[] {1}, BATCH)};
        int[] poolCalls = {0};
        Function<CallThreads, Tensor> call = threads -> KernelThreading.callWith(threads, () -> {
            a.run(in);
            Tensor out = b.run(in);
            if (threads == POOL && slowPoolCall > 0 && ++poolCalls[0] % slowPoolCall == 0) {
                clock.addAndGet(100 * MS);
            }
            return out;
        });
        untilQuiet(call);
        a.settleSparseRaces(BATCH);
        b.settleSparseRaces(BATCH);
        a.requestSettle(BATCH);
        b.requestSettle(BATCH);
        untilQuiet(call);
        assertTrue(a.settled(BATCH) && b.settled(BATCH), "both settled on the caller");
        assertEquals(KernelKind.DENSE, a.kernelFor(BATCH), "on the caller a's dense kernel is faster");

        List<String[]> decided = new ArrayList<>();
        PlanRace planRace = new PlanRace(List.of(a, b), clock::get, (batch, choice, note) -> decided.add(
                new String[] {choice.name(), note}));
        a.log = new ArrayList<>();
        planRace.start(BATCH, CALLER);
        int calls = 0;
        while (!planRace.done(BATCH)) {
            assertTrue(planRace.running(BATCH));
            planRace.call(BATCH, call);
            assertTrue(++calls < 300, "the race ends");
        }
        assertEquals(1, decided.size(), "told once");
        assertEquals(planRace.winner(BATCH).name(), decided.get(0)[0]);
        assertFalse(planRace.running(BATCH));
        List<String> logA = a.log;
        a.log = null;
        // settled: nothing timed any more
        long before = TimingWork.count();
        for (CallThreads threads : CallThreads.values()) {
            call.apply(threads);
        }
        assertEquals(before, TimingWork.count(), "nothing timed after the race");
        return new Outcome(planRace.winner(BATCH), decided.get(0)[1], a, b, logA);
    }

    private static void untilQuiet(Function<CallThreads, Tensor> call) {
        for (int i = 0; i < 100; i++) {
            long before = TimingWork.count();
            call.apply(CALLER);
            if (TimingWork.count() == before) {
                return;
            }
        }
        throw new AssertionError("still timing after 100 calls");
    }

    private static void assertNote(Outcome outcome, String part) {
        assertTrue(outcome.note().contains(part), outcome.note());
    }

    private static String line(FakeStep step) {
        return step.choices().stream().filter(c -> c.batch() == BATCH).findFirst().orElseThrow().calibration();
    }

    @Test
    void thePoolsPlanIsSettledOnThePoolAndKeptWhenFaster() {
        // a: oneDNN-like on the caller (10 against 12 ms), the sparse kernel gains on two threads (6 ms)
        Outcome outcome = race(new Times(10, 12, 10, 6), new Times(5, 9, 5, 9), 0);
        assertEquals(POOL, outcome.winner());
        assertEquals(KernelKind.SPARSE, outcome.a().kernelFor(BATCH), "the pool's plan runs a's sparse kernel");
        assertEquals(KernelKind.DENSE, outcome.b().kernelFor(BATCH));
        // a's choice for the pool was settled on the pool's times (medians of warm runs), not the caller's
        assertTrue(line(outcome.a()).contains("DENSE 10.000, SPARSE 6.000 ms -> SPARSE"), line(outcome.a()));
        assertTrue(line(outcome.a()).contains("settled on the threads kept (caller and pool"), line(outcome.a()));
        // after the race started, a's sparse kernel never ran on the caller: the caller's plan runs its dense kernel
        // and no kernel was timed on the caller
        assertTrue(outcome.logA().contains("SPARSE@" + POOL), outcome.logA().toString());
        assertFalse(outcome.logA().contains("SPARSE@" + CALLER), outcome.logA().toString());
        assertNote(outcome, "median 15.000 ms on the caller against 11.000 ms with the pool, 1 of 2");
    }

    @Test
    void theCallersPlanAndItsKernelsStayWhenThePoolsPlanIsSlower() {
        // on the pool a gains (6 ms) but b loses more (dense 14, sparse 13): 19 against 15 ms per call
        Outcome outcome = race(new Times(10, 12, 10, 6), new Times(5, 9, 14, 13), 0);
        assertEquals(CALLER, outcome.winner());
        assertEquals(KernelKind.DENSE, outcome.a().kernelFor(BATCH), "the caller's plan: a on its dense kernel");
        assertEquals(KernelKind.DENSE, outcome.b().kernelFor(BATCH));
        assertNote(outcome, "median 15.000 ms on the caller against 19.000 ms with the pool");
    }

    @Test
    void aTieKeepsTheCaller() {
        // pool's plan 146 ms (a sparse 96 + b 50) against 150: within the tie margin
        Outcome outcome = race(new Times(100, 120, 100, 96), new Times(50, 90, 50, 90), 0);
        assertTrue(146 * PlanRace.TIE_MARGIN > 150, "the case is a tie");
        assertNote(outcome, "median 150.000 ms on the caller against 146.000 ms");
        assertEquals(CALLER, outcome.winner());
    }

    @Test
    void slowOutlierCallsDoNotDecide() {
        // every third pool call 100 ms slower (a third of the timed ones): a mean would keep the caller, the median
        // keeps the pool
        Outcome outcome = race(new Times(10, 12, 10, 6), new Times(5, 9, 5, 9), 3);
        assertEquals(POOL, outcome.winner());
    }

    @Test
    void aCallWithoutARunningRaceIsRejected() {
        PlanRace race = new PlanRace(List.of(), System::nanoTime, (batch, choice, note) -> {
        });
        assertThrows(IllegalStateException.class, () -> race.call(BATCH, threads -> 1));
        race.skip(8);
        assertTrue(race.done(8));
        assertThrows(IllegalStateException.class, () -> race.call(8, threads -> 1));
        assertThrows(IllegalArgumentException.class, () -> race.start(BATCH, null));
        assertThrows(IllegalArgumentException.class, () -> new PlanRace(null, System::nanoTime, (b, c, n) -> {
        }));
    }
}
