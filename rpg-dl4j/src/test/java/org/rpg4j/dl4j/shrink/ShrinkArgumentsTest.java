package org.rpg4j.dl4j.shrink;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The shrink entry points name a missing argument instead of failing inside with a NullPointerException. */
class ShrinkArgumentsTest {

    @Test
    void aMissingAnalysisIsNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConstantChannels.of(null)).getMessage()
                .contains("deps must not be null"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeadChannels.select(null)).getMessage()
                .contains("deps must not be null"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NetworkShrinker.shrink(null, null))
                .getMessage().contains("deps must not be null"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InferenceFolding.fold(
                (org.deeplearning4j.nn.graph.ComputationGraph) null)).getMessage().contains(
                        "network must not be null"));
    }
}
