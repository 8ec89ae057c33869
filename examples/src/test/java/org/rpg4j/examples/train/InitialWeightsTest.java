package org.rpg4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Sgd;
import org.rpg4j.examples.models.ModelKind;
import org.rpg4j.examples.models.NetworkSettings;
import org.rpg4j.examples.models.ShortcutKind;
import org.rpg4j.examples.models.StandardLayers;

class InitialWeightsTest {
    private static ComputationGraph smallCnn(int hiddenSeed, int side) {
        return ModelKind.SMALL_CNN.build(1, ShortcutKind.A,
                new NetworkSettings(1, side, side, 10, new Sgd(0.1), 5e-4, StandardLayers.INSTANCE, hiddenSeed));
    }

    @Test
    void copiesEveryParameter(@TempDir Path dir) throws Exception {
        ComputationGraph trained = smallCnn(1, 28);
        Path zip = dir.resolve("model.zip");
        ModelSerializer.writeModel(trained, zip.toFile(), true);
        ComputationGraph fresh = smallCnn(2, 28);
        assertNotEquals(trained.params(), fresh.params());

        InitialWeights.copyInto(fresh, zip);

        assertEquals(trained.params(), fresh.params());
    }

    @Test
    void rejectsAnotherArchitectureAndMissingFiles(@TempDir Path dir) throws Exception {
        Path zip = dir.resolve("model.zip");
        ModelSerializer.writeModel(smallCnn(1, 32), zip.toFile(), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InitialWeights.copyInto(smallCnn(1, 28), zip));
        assertTrue(e.getMessage().contains("--init-from " + zip) && e.getMessage().contains("fc1_W"), e.getMessage());
        Path missing = dir.resolve("none.zip");
        e = assertThrows(IllegalArgumentException.class, () -> InitialWeights.copyInto(smallCnn(1, 28), missing));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        Path garbage = Files.writeString(dir.resolve("garbage.zip"), "not a zip");
        assertThrows(java.io.IOException.class, () -> InitialWeights.copyInto(smallCnn(1, 28), garbage));
    }
}
