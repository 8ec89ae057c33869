package org.rpg4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.rpg4j.examples.models.ModelKind;
import org.rpg4j.examples.models.NetworkSettings;
import org.rpg4j.examples.models.ShortcutKind;
import org.rpg4j.examples.models.StandardLayers;

class HeavyBallSgdTest {
    private static final double TOLERANCE = 1e-6;

    @Test
    void stepsAsPyTorchSgdWithMomentum() {
        // lr 0.1, mu 0.9, g = 1 then 2:
        //   step 1: v = 1,            update = 0.1
        //   step 2: v = 0.9 * 1 + 2 = 2.9, update = 0.29
        HeavyBallSgd config = new HeavyBallSgd(0.1, null, 0.9);
        INDArray state = Nd4j.zeros(1, 2);
        GradientUpdater<HeavyBallSgd> updater = config.instantiate(state, true);
        INDArray g = Nd4j.createFromArray(new float[] {1f, -1f});
        updater.applyUpdater(g, 0, 0);
        assertEquals(0.1, g.getDouble(0), TOLERANCE);
        assertEquals(-0.1, g.getDouble(1), TOLERANCE);
        INDArray g2 = Nd4j.createFromArray(new float[] {2f, 0f});
        updater.applyUpdater(g2, 1, 0);
        assertEquals(0.29, g2.getDouble(0), TOLERANCE);
        assertEquals(-0.09, g2.getDouble(1), TOLERANCE);
        assertEquals(2.9, updater.getState().get("V").getDouble(0), TOLERANCE);
    }

    @Test
    void stateMapRoundTrip() {
        HeavyBallSgd config = new HeavyBallSgd(0.1, null, 0.5);
        INDArray v = Nd4j.createFromArray(new float[] {1f, 2f});
        GradientUpdater<HeavyBallSgd> updater = config.instantiate(Map.of("V", v), false);
        INDArray g = Nd4j.createFromArray(new float[] {0f, 0f});
        updater.applyUpdater(g, 0, 0);
        // v = 0.5 * v; update = 0.1 * v = 0.05, 0.1
        assertEquals(0.05, g.getDouble(0), TOLERANCE);
        assertEquals(0.1, g.getDouble(1), TOLERANCE);
        assertThrows(IllegalArgumentException.class, () -> new HeavyBallSgd(0.1, null, 1.0));
    }

    @Test
    void configurationWithUpdaterAndScheduleSurvivesJson() {
        CosineWarmupSchedule schedule = new CosineWarmupSchedule(0.1, 5, 50);
        NetworkSettings settings = new NetworkSettings(1, 8, 8, 3, new HeavyBallSgd(schedule, 0.9), 5e-4,
                StandardLayers.INSTANCE, 1);
        ComputationGraph net = ModelKind.SMALL_CNN.build(1, ShortcutKind.A, settings);
        String json = net.getConfiguration().toJson();
        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(json);
        assertEquals(net.getConfiguration(), restored);
        assertEquals(json, restored.toJson());
    }

    @Test
    void cosineScheduleWithWarmup() {
        // lr 1, W = 2, T = 6: warm-up 0.5, 1; cosine over 4 steps: (1 + cos(pi k / 4)) / 2 for k = 1..4
        CosineWarmupSchedule s = new CosineWarmupSchedule(1.0, 2, 6);
        assertEquals(0.5, s.valueAt(0, 0), TOLERANCE);
        assertEquals(1.0, s.valueAt(1, 0), TOLERANCE);
        assertEquals((1 + Math.cos(Math.PI / 4)) / 2, s.valueAt(2, 0), TOLERANCE);
        assertEquals(0.5, s.valueAt(3, 0), TOLERANCE);
        assertEquals(0.0, s.valueAt(5, 0), TOLERANCE);
        assertEquals(0.0, s.valueAt(9, 0), TOLERANCE);
        assertThrows(IllegalArgumentException.class, () -> new CosineWarmupSchedule(1.0, 6, 6));
        assertThrows(IllegalArgumentException.class, () -> new CosineWarmupSchedule(0.0, 0, 6));
    }

    @Test
    void planDropsTheIncompleteBatchAndHonoursTheCap() {
        TrainingPlan plan = TrainingPlan.of(1000, 3, 128, 0, 10, 256, 1);
        assertEquals(7, plan.iterationsPerEpoch());
        assertEquals(21, plan.totalIterations());
        TrainingPlan capped = TrainingPlan.of(1000, 3, 128, 9, 10, 256, 1);
        assertEquals(9, capped.totalIterations());
        assertEquals(2, capped.epochs());
        assertThrows(IllegalArgumentException.class, () -> TrainingPlan.of(100, 1, 101, 0, 10, 256, 1));
    }
}
