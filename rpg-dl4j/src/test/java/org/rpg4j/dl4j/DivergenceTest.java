package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.rpg4j.dl4j.TrainingDivergedException.Quantity;

/**
 * Divergence policy: a NaN or infinite loss, gradient or weight stops training at the iteration it
 * appears, with a {@link TrainingDivergedException} naming the iteration and the first layer and
 * parameter holding such a value; rpg4j never masks, prunes or regrows on it.
 */
class DivergenceTest {
    private static final int BAD = 3;

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void nanInputStopsWithTheLossAndTheFirstLayer(Nets.Kind kind) {
        Model net = Nets.small(kind, new Sgd(0.05), Nets.Decay.NONE, false);
        Dl4jPruning.attach(net, SaveRestoreTest.config());
        List<DataSet> data = Nets.data(BAD + 1, 4, 8);
        data.get(BAD).getFeatures().putScalar(0, Double.NaN);
        for (int i = 0; i < BAD; i++) {
            Nets.fit(net, data.get(i));
        }
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> Nets.fit(net,
                data.get(BAD)));
        assertEquals(Quantity.LOSS, e.quantity());
        assertEquals(BAD, e.iteration());
        assertEquals("conv", e.layer(), e.getMessage());
        assertTrue(e.getMessage().contains("iteration " + BAD) && e.getMessage().contains("'conv'"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void infiniteGradientStopsBeforeTheUpdater(Nets.Kind kind) {
        Model net = Nets.small(kind, new Sgd(0.05), Nets.Decay.NONE, false);
        Pruning pruning = Dl4jPruning.attach(net, SaveRestoreTest.config());
        // put a listener before rpg4j's that breaks one gradient entry of the dense layer at iteration BAD
        List<org.deeplearning4j.optimize.api.TrainingListener> listeners = List.of(new BaseTrainingListener() {
            @Override
            public void onGradientCalculation(Model model) {
                if (Inspect.iterationCount(model) == BAD) {
                    model.gradient().getGradientFor(gradientKey(model, "dense")).putScalar(0, Double.POSITIVE_INFINITY);
                }
            }
        }, pruning.runtime().listener());
        net.setListeners(listeners);
        List<DataSet> data = Nets.data(BAD + 1, 4, 8);
        INDArray before = net.params().dup();
        for (int i = 0; i < BAD; i++) {
            Nets.fit(net, data.get(i));
        }
        before.assign(net.params());
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> Nets.fit(net,
                data.get(BAD)));
        assertEquals(Quantity.GRADIENT, e.quantity());
        assertEquals("dense", e.layer());
        assertEquals("W", e.parameter());
        assertEquals(before, net.params(), "no step was taken with the infinite gradient");
    }

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void weightsThatOverflowInTheStepStopAfterIt(Nets.Kind kind) {
        Model net = Nets.small(kind, new Sgd(1e39), Nets.Decay.NONE, false);
        Dl4jPruning.attach(net, SaveRestoreTest.config());
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Nets.data(2, 4, 8).forEach(d -> Nets.fit(net, d)));
        assertEquals(Quantity.WEIGHT, e.quantity());
        assertEquals(0, e.iteration());
        assertTrue(e.layer() != null && e.getMessage().contains("after the step"), e.getMessage());
    }

    private static String gradientKey(Model model, String layerName) {
        if (model instanceof org.deeplearning4j.nn.multilayer.MultiLayerNetwork m) {
            for (int i = 0; i < m.getnLayers(); i++) {
                if (layerName.equals(m.getLayer(i).conf().getLayer().getLayerName())) {
                    return i + "_W";
                }
            }
        }
        return layerName + "_W";
    }
}
