package org.rpg4j.examples.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When a checkpoint is due, and errors that name the command-line option. */
class CheckpointPolicyTest {
    @Test
    void dueByCountOrByTime() {
        CheckpointPolicy everyThree = new CheckpointPolicy(3, 0, 2);
        assertFalse(everyThree.due(2, 1e9));
        assertTrue(everyThree.due(3, 0));
        assertTrue(everyThree.due(6, 0));
        CheckpointPolicy halfMinute = new CheckpointPolicy(0, 0.5, 2);
        assertFalse(halfMinute.due(7, 29.9));
        assertTrue(halfMinute.due(7, 30.0));
        assertFalse(CheckpointPolicy.NEVER.enabled());
        assertFalse(CheckpointPolicy.NEVER.due(100, 1e9));
    }

    @Test
    void invalidValuesNameTheOption() {
        assertEquals("--checkpoint-every must be >= 0 iterations (0 = off), got -1",
                assertThrows(IllegalArgumentException.class, () -> new CheckpointPolicy(-1, 0, 1)).getMessage());
        assertEquals("--checkpoint-minutes must be finite and >= 0 (0 = off), got NaN",
                assertThrows(IllegalArgumentException.class, () -> new CheckpointPolicy(0, Double.NaN, 1))
                        .getMessage());
        assertEquals("--keep-checkpoints must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new CheckpointPolicy(1, 0, 0)).getMessage());
    }

    @Test
    void optionNamesComeFromTheRecordedKeys() {
        assertEquals("--batch-size", CheckpointSession.optionName("batchSize"));
        assertEquals("--lr", CheckpointSession.optionName("lr"));
        assertEquals("--init-from", CheckpointSession.optionName("initFrom"));
    }
}
