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
import org.rpg4j.sparse.kernel.CallThreads;

/**
 * The choice of threads on a fake clock: each fake call advances the clock by the time set for the choice it runs
 * under, so which choice runs at which call and what is kept follow from the injected times alone.
 */
class ThreadRaceTest {

    private static final CallThreads CALLER = CallThreads.CALLER;
    private static final CallThreads POOL = CallThreads.POOL_ABOVE_THRESHOLD;
    /** The margin these tests' arithmetic uses (the runner's is {@link CallThreadsCheck#CALL_MARGIN}). */
    private static final double MARGIN = 1.25;
    private static final int FIRST_ROUND_END = ThreadRace.WARM_UP_CALLS + 2 * ThreadRace.PAIRS;

    /** A fake step: per choice a time (ns) the test may change between calls; records the choice of every call. */
    private static final class FakeStep {
        final long[] clock = {0};
        final Map<CallThreads, Long> nanos = new EnumMap<>(CallThreads.class);
        final List<CallThreads> used = new ArrayList<>();
        final Tensor output = Tensor.of(new float[] {1}, 1);
        final ThreadRace race = new ThreadRace(ThreadRace.WARM_UP_CALLS, CALLER, MARGIN,
                () -> clock[0]);

        FakeStep(long caller, long pool) {
            nanos.put(CALLER, caller);
            nanos.put(POOL, pool);
        }

        void calls(int count) {
            for (int c = 0; c < count; c++) {
                assertSame(output, race.call(choice -> {
                    used.add(choice);
                    clock[0] += nanos.get(choice);
                    return output;
                }));
            }
        }
    }

    @Test
    void warmsUpOnTheInitialChoiceThenAlternatesAndKeepsTheFaster() {
        FakeStep step = new FakeStep(50_000, 100_000);
        step.calls(FIRST_ROUND_END - 1);
        assertFalse(step.race.decided());
        assertTrue(Double.isNaN(step.race.millis(CALLER)), "no mean before the first round ends");
        step.calls(1);
        assertTrue(step.race.decided());
        assertEquals(CALLER, step.race.choice());
        List<CallThreads> expected = new ArrayList<>();
        for (int c = 0; c < ThreadRace.WARM_UP_CALLS; c++) {
            expected.add(CALLER);
        }
        for (int p = 0; p < ThreadRace.PAIRS; p++) {
            // the choice not kept runs first in each pair
            expected.add(POOL);
            expected.add(CALLER);
        }
        assertEquals(expected, step.used);
        assertEquals(0.05, step.race.millis(CALLER), 1e-12);
        assertEquals(0.1, step.race.millis(POOL), 1e-12);
        // between rounds every call runs the kept choice
        step.calls(ThreadRace.FIRST_GAP);
        assertTrue(step.used.subList(FIRST_ROUND_END, step.used.size()).stream().allMatch(c -> c == CALLER));
    }

    @Test
    void thePoolIsKeptOnlyWhenItIsFasterByTheMargin() {
        FakeStep faster = new FakeStep(90_000, 60_000);
        faster.calls(FIRST_ROUND_END);
        assertEquals(POOL, faster.race.choice());
        // 42 us * 1.25 = 52.5 us: not enough against 50 us on the caller
        FakeStep within = new FakeStep(50_000, 42_000);
        within.calls(FIRST_ROUND_END);
        assertEquals(CALLER, within.race.choice());
        FakeStep tie = new FakeStep(70_000, 70_000);
        tie.calls(FIRST_ROUND_END);
        assertEquals(CALLER, tie.race.choice());
    }

    @Test
    void theMeanCountsRareSlowCallsThatAMedianWouldIgnoreButNotTheSlowestOfARound() {
        // the pool takes 10 us but two calls of 8 wait 1 ms for a descheduled worker: the slowest is left out, the
        // other counts: mean (6 * 10 + 1000) / 7 us = 151.4 us > 50 us
        FakeStep step = new FakeStep(50_000, 10_000);
        step.calls(ThreadRace.WARM_UP_CALLS + 2);
        step.nanos.put(POOL, 1_000_000L);
        step.calls(4);
        step.nanos.put(POOL, 10_000L);
        step.calls(2 * ThreadRace.PAIRS - 6);
        assertEquals(CALLER, step.race.choice());
        assertEquals(1.060 / 7, step.race.millis(POOL), 1e-12);
        // one caller call of 2 ms is the round's slowest and left out: 30 us * 1.25 < 50 us
        FakeStep disturbed = new FakeStep(50_000, 30_000);
        disturbed.calls(ThreadRace.WARM_UP_CALLS + 1);
        disturbed.nanos.put(CALLER, 2_000_000L);
        disturbed.calls(1);
        disturbed.nanos.put(CALLER, 50_000L);
        disturbed.calls(2 * ThreadRace.PAIRS - 2);
        assertEquals(POOL, disturbed.race.choice());
        assertEquals(0.05, disturbed.race.millis(CALLER), 1e-12);
    }

    @Test
    void laterRoundsSwitchWhenTheOtherChoiceHasBecomeFasterAndSpreadOut() {
        FakeStep step = new FakeStep(50_000, 100_000);
        step.calls(FIRST_ROUND_END);
        assertEquals(CALLER, step.race.choice());
        step.nanos.put(POOL, 20_000L);
        // round 2 (calls 41-56): the pool's mean over both rounds (each without its slowest call), round 1 at half
        // weight, is (350 + 140) / 10.5 us = 46.7 us, times 1.25 above 50 us
        step.calls(ThreadRace.FIRST_GAP + 2 * ThreadRace.PAIRS);
        assertEquals(CALLER, step.race.choice());
        assertEquals(560.0 / 12 / 1000, step.race.millis(POOL), 1e-12);
        // round 3 (calls 89-104): (245 + 140) / 12.25 us = 31.4 us
        step.calls(2 * ThreadRace.FIRST_GAP + 2 * ThreadRace.PAIRS - 1);
        assertEquals(CALLER, step.race.choice(), "the round decides at its last call");
        step.calls(1);
        assertEquals(POOL, step.race.choice());
        // the third round was the last: no fourth round, every later call under the choice kept, untimed
        assertTrue(step.race.settled());
        int before = step.used.size();
        long timed = TimingWork.timedCalls();
        step.calls(8 * ThreadRace.FIRST_GAP + 2 * ThreadRace.PAIRS);
        assertTrue(step.used.subList(before, step.used.size()).stream().allMatch(c -> c == POOL));
        assertEquals(timed, TimingWork.timedCalls());
    }

    @Test
    void settleNowRunsOneRoundAtOnceAndThenTimesNothing() {
        FakeStep step = new FakeStep(100_000, 50_000);
        step.calls(3);
        step.race.settleNow();
        long timed = TimingWork.timedCalls();
        step.calls(2 * ThreadRace.PAIRS);
        assertEquals(timed + 2 * ThreadRace.PAIRS, TimingWork.timedCalls(), "one round of timed calls");
        assertTrue(step.race.settled());
        assertEquals(POOL, step.race.choice());
        assertEquals(List.of(POOL, CALLER), step.used.subList(3, 5), "the round starts at once, the other first");
        step.calls(500);
        assertEquals(timed + 2 * ThreadRace.PAIRS, TimingWork.timedCalls());
        assertTrue(step.used.subList(3 + 2 * ThreadRace.PAIRS, step.used.size()).stream().allMatch(c -> c == POOL));
    }

    @Test
    void roundNowRunsARoundAtOnceThatIsNotTheLast() {
        FakeStep step = new FakeStep(100_000, 50_000);
        step.calls(3);
        step.race.roundNow();
        step.calls(2 * ThreadRace.PAIRS);
        assertEquals(1, step.race.rounds());
        assertFalse(step.race.settled());
        assertEquals(POOL, step.race.choice());
        step.race.settleNow();
        long timed = TimingWork.timedCalls();
        step.calls(2 * ThreadRace.PAIRS + 100);
        assertEquals(2, step.race.rounds());
        assertTrue(step.race.settled());
        assertEquals(timed + 2 * ThreadRace.PAIRS, TimingWork.timedCalls());
    }

    @Test
    void aPresetChoiceIsNeverTimed() {
        FakeStep step = new FakeStep(50_000, 100_000);
        step.race.preset(POOL);
        long timed = TimingWork.timedCalls();
        step.calls(200);
        assertEquals(timed, TimingWork.timedCalls());
        assertTrue(step.used.stream().allMatch(c -> c == POOL), "kept although the caller is faster");
        assertThrows(IllegalArgumentException.class, () -> step.race.preset(null));
    }

    @Test
    void rejectsBadArguments() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ThreadRace(-1, CALLER, 1, System::nanoTime))
                .getMessage().contains("warmUpCalls must be >= 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ThreadRace(0, CALLER, 1, null))
                .getMessage().contains("initial and clock not null"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ThreadRace(0, CALLER, 0.9,
                System::nanoTime)).getMessage().contains("poolMargin >= 1"));
        assertThrows(IllegalArgumentException.class, () -> new ThreadRace(0, CALLER, Double.NaN, System::nanoTime));
        assertThrows(IllegalArgumentException.class, () -> new ThreadRace(0, null, 1, System::nanoTime));
    }
}
