package org.rpg4j.dl4j.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.api.Test;

/** What ParallelPruning refuses at attach time, and why: never silent mask drift. */
class AttachRulesTest {
    @Test
    void sharedGradientModeIsRefusedAtAttach() {
        Model net = TestNets.cnn();
        ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net).workers(2)
                .trainingMode(ParallelWrapper.TrainingMode.SHARED_GRADIENTS).build();
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ParallelPruning.attach(wrapper, ParallelPruningTest.config()));
            assertTrue(e.getMessage().contains("trainingMode must be AVERAGING"), e.getMessage());
            assertTrue(wrapper.getListeners().isEmpty(), "nothing installed");
        } finally {
            wrapper.shutdown();
        }
    }

    @Test
    void averagingFrequencyOtherThanOneIsRefused() {
        Model net = TestNets.cnn();
        ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net).workers(2).averagingFrequency(3).build();
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ParallelPruning.attach(wrapper, ParallelPruningTest.config()));
            assertTrue(e.getMessage().contains("averagingFrequency must be 1"), e.getMessage());
        } finally {
            wrapper.shutdown();
        }
    }

    @Test
    void secondAttachAndWrapperFitAreRefused() {
        Model net = TestNets.cnn();
        ParallelWrapper wrapper = ParallelPruningTest.wrapper(net);
        try {
            ParallelRun run = ParallelPruning.attach(wrapper, ParallelPruningTest.config());
            assertThrows(IllegalStateException.class, () -> ParallelPruning.attach(wrapper, ParallelPruningTest
                    .config()));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> wrapper.fit(TestNets.iterator(ParallelPruningTest.data(2, 1))));
            assertTrue(e.getMessage().contains("ParallelRun.fit"), e.getMessage());
            assertEquals(0, run.iteration(), "nothing trained");
        } finally {
            wrapper.shutdown();
        }
    }
}
