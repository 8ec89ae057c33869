package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rpg4j.sparse.kernel.KernelThreading;

/** {@link RunnerOptions}: the copies change one option each; bad values are named with what is allowed. */
class RunnerOptionsTest {

    @Test
    void eachWithMethodChangesOnlyItsOption() {
        RunnerOptions defaults = RunnerOptions.defaults();
        assertEquals(new RunnerOptions(KernelPolicy.DENSE, 3, KernelThreading.PER_CALL,
                StepCoverage.KERNELS_AND_POOLING, NativeThreading.JAVA_THREADS), defaults.withPolicy(
                        KernelPolicy.DENSE));
        assertEquals(5, defaults.withCalibrationRuns(5).calibrationRuns());
        assertEquals(defaults.policy(), defaults.withCalibrationRuns(5).policy());
        assertEquals(KernelThreading.CALLER_ONLY, defaults.withThreading(KernelThreading.CALLER_ONLY).threading());
        assertEquals(NativeThreading.OPENMP, defaults.withNativeThreading(NativeThreading.OPENMP).nativeThreading());
    }

    @Test
    void rejectsANullOptionNamingEveryValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunnerOptions.defaults()
                .withThreading(null));
        assertTrue(e.getMessage().contains("policy, threading, coverage and nativeThreading must not be null, got "
                + "MEASURED, null, KERNELS_AND_POOLING and JAVA_THREADS"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RunnerOptions.defaults().withPolicy(null));
        assertThrows(IllegalArgumentException.class, () -> RunnerOptions.defaults().withCoverage(null));
        assertThrows(IllegalArgumentException.class, () -> RunnerOptions.defaults().withNativeThreading(null));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RunnerOptions.defaults().withCalibrationRuns(
                -2)).getMessage().contains("calibrationRuns must be >= 1, got -2"));
    }
}
