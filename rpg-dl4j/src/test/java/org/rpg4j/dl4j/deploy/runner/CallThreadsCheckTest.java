package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rpg4j.sparse.kernel.CallThreads;
import org.rpg4j.sparse.kernel.KernelThreading;

/** The whole-call check of the steps' thread choices: when it forces the caller, and what the report says. */
class CallThreadsCheckTest {

    private static final int ROUND_END = CallThreadsCheck.WARM_UP_CALLS + 2 * ThreadRace.PAIRS;

    @Test
    void forcesTheCallerOnEveryOtherCallOfARoundAndKeepsItWhenTheStepsChoicesAreSlower() {
        CallThreadsCheck check = new CallThreadsCheck();
        List<CallThreads> seen = new ArrayList<>();
        Object result = new Object();
        for (int call = 0; call < ROUND_END; call++) {
            assertSame(result, check.run(3, () -> {
                CallThreads choice = KernelThreading.choice();
                seen.add(choice);
                if (choice == null) {
                    // the steps' own choices: 3 ms, against nothing forced on the caller
                    long end = System.nanoTime() + 3_000_000;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                }
                return result;
            }));
        }
        for (int call = 0; call < ROUND_END; call++) {
            boolean forced = call >= CallThreadsCheck.WARM_UP_CALLS && (call - CallThreadsCheck.WARM_UP_CALLS) % 2 == 0;
            assertEquals(forced ? CallThreads.CALLER : null, seen.get(call), "call " + (call + 1));
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
        // after the round every call runs forced on the caller
        seen.clear();
        check.run(3, () -> seen.add(KernelThreading.choice()));
        assertEquals(CallThreads.CALLER, seen.get(0));
    }
}
