package org.rpg4j.dl4j.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.solvers.accumulation.BasicGradientsAccumulator;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.api.Test;

/** What ParallelPruning refuses at attach time, and why: never silent mask drift. */
class AttachRulesTest {
    @Test
    void sharedGradientModeWithAnotherAccumulatorIsRefusedAtAttach() {
        Model net = TestNets.cnn();
        ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net).workers(2)
                .trainingMode(ParallelWrapper.TrainingMode.CUSTOM)
                .gradientsAccumulator(new BasicGradientsAccumulator(2)).build();
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ParallelPruning.attach(wrapper, ParallelPruningTest.config()));
            assertTrue(e.getMessage().contains("trainingMode must be AVERAGING or SHARED_GRADIENTS"), e.getMessage());
            assertTrue(e.getMessage().contains("BasicGradientsAccumulator"), e.getMessage());
            assertTrue(wrapper.getListeners().isEmpty(), "nothing installed");
            assertNull(wrapper.getModelParamsSupplier(), "nothing installed");
        } finally {
            wrapper.shutdown();
        }
    }

    @Test
    void sharedGradientModeIsAcceptedWhateverTheAveragingFrequency() {
        Model net = TestNets.cnn();
        // DL4J ignores the averaging frequency in this mode (SymmetricTrainer.averagingRequired() is false)
        ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net).workers(2).averagingFrequency(3)
                .trainingMode(ParallelWrapper.TrainingMode.SHARED_GRADIENTS).build();
        try {
            ParallelRun run = ParallelPruning.attach(wrapper, ParallelPruningTest.config());
            assertTrue(wrapper.getListeners().stream().anyMatch(ReplicaListener.class::isInstance));
            assertEquals(0, run.iteration());
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
