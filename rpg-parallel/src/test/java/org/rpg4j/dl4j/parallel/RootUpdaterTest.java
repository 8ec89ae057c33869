package org.rpg4j.dl4j.parallel;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.api.Test;

/**
 * ParallelWrapper's {@code fit} ends with {@code clear()} on the root network, which for a
 * {@code MultiLayerNetwork} drops its solver and with it the updater state (see {@link RootUpdater}).
 */
class RootUpdaterTest {
    @Test
    void plainParallelWrapperDropsTheRootUpdaterOfAMultiLayerNetwork() {
        // documents the DL4J 1.0.0-M2.1 behaviour rpg4j works around; if this fails, DL4J changed
        MultiLayerNetwork net = TestNets.cnn();
        assertNotNull(net.getUpdater(true));
        ParallelWrapper wrapper = ParallelPruningTest.wrapper(net);
        wrapper.fit(TestNets.iterator(ParallelPruningTest.data(2, 3)));
        wrapper.shutdown();
        assertNull(net.getUpdater(false), "the root's solver and updater are gone after ParallelWrapper.fit");
    }

    @Test
    void parallelRunKeepsTheRootUpdaterAndItsState() {
        MultiLayerNetwork net = TestNets.cnn();
        ParallelWrapper wrapper = ParallelPruningTest.wrapper(net);
        ParallelRun run = ParallelPruning.attach(wrapper, ParallelPruningTest.config());
        Updater before = net.getUpdater(true);
        run.fit(TestNets.iterator(ParallelPruningTest.data(3, 3)));
        wrapper.shutdown();
        assertSame(before, net.getUpdater(false), "the root keeps the updater object it trained with");
        // Adam's first and second moments after 3 rounds of training: non-zero, not a fresh (zero) state
        assertTrue(net.getUpdater(false).getStateViewArray().amaxNumber().doubleValue() > 0.0,
                "the updater state survives the fit");
    }
}
