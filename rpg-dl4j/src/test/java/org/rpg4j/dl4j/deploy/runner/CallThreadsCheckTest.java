package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rpg4j.sparse.kernel.CallThreads;
import org.rpg4j.sparse.kernel.KernelThreading;

/** The runner's whole-call choice of threads: what it runs each call under, what it keeps, what the report says. */
class CallThreadsCheckTest {

    private static final int ROUND_END = CallThreadsCheck.WARM_UP_CALLS + 2 * ThreadRace.PAIRS;

    @Test
    void warmsUpOnTheCallerTimesBothAndKeepsTheCallerWhenThePoolIsSlower() {
        CallThreadsCheck check = new CallThreadsCheck();
        List<CallThreads> seen = runRound(check, CallThreads.POOL_ABOVE_THRESHOLD);
        for (int call = 0; call < ROUND_END; call++) {
            boolean pool = call >= CallThreadsCheck.WARM_UP_CALLS && (call - CallThreadsCheck.WARM_UP_CALLS) % 2 == 0;
            assertEquals(pool ? CallThreads.POOL_ABOVE_THRESHOLD : CallThreads.CALLER, seen.get(call), "call "
                    + (call + 1));
        }
        LayerChoice line = new LayerChoice("c", "conv", 0.5, 3, 0.1, 0.2, KernelKind.SPARSE, "decided");
        LayerChoice other = new LayerChoice("c", "conv", 0.5, 7, 0.1, 0.2, KernelKind.SPARSE, "decided");
        LayerChoice add = new LayerChoice("add", "add", Double.NaN, 0, Double.NaN, Double.NaN, KernelKind.JAVA, "");
        List<LayerChoice> noted = check.report(List.of(line, other, add));
        assertTrue(noted.get(0).calibration().startsWith("decided; whole calls put every step on the caller (mean "),
                noted.get(0).calibration());
        assertSame(other, noted.get(1), "no note at a batch size the check has not seen");
        assertTrue(noted.get(2).calibration().startsWith("; batch 3 whole calls put every step on the caller"),
                noted.get(2).calibration());
        seen.clear();
        check.run(3, () -> seen.add(KernelThreading.choice()));
        assertEquals(CallThreads.CALLER, seen.get(0), "after the round every call runs on the caller");
    }

    @Test
    void keepsTheFixedRuleWhenItIsFaster() {
        CallThreadsCheck check = new CallThreadsCheck();
        runRound(check, CallThreads.CALLER);
        List<CallThreads> seen = new ArrayList<>();
        check.run(3, () -> seen.add(KernelThreading.choice()));
        assertEquals(CallThreads.POOL_ABOVE_THRESHOLD, seen.get(0));
        LayerChoice line = new LayerChoice("c", "conv", 0.5, 3, 0.1, 0.2, KernelKind.SPARSE, "decided");
        assertTrue(check.report(List.of(line)).get(0).calibration().startsWith("decided; whole calls put steps of at "
                + "least 200,000 multiply-adds on the caller and the pool (mean "), check.report(List.of(line))
                        .toString());
    }

    /** Runs the warm-up and the first round at batch 3; calls under {@code slow} spin 3 ms. */
    private static List<CallThreads> runRound(CallThreadsCheck check, CallThreads slow) {
        List<CallThreads> seen = new ArrayList<>();
        Object result = new Object();
        for (int call = 0; call < ROUND_END; call++) {
            assertSame(result, check.run(3, () -> {
                CallThreads choice = KernelThreading.choice();
                seen.add(choice);
                if (choice == slow) {
                    long end = System.nanoTime() + 3_000_000;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                }
                return result;
            }));
        }
        return seen;
    }
}
