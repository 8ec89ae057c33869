package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;
import org.rpg4j.schedule.ScheduleKind;

/**
 * DL4J's per-layer gradient normalisation and clipping ({@code preApply}) see the masked gradient, as
 * the reference masks the gradient before anything else sees it: with plain SGD, the step of the
 * surviving weights has exactly the norm the mode prescribes (the learning rate for the
 * renormalising modes, learning rate times threshold for the clipping modes, whose threshold is
 * chosen small enough that they always clip), as a dense network's step has. Were the dense gradient
 * normalised and then masked, the surviving step would be shorter, the more so the sparser the layer.
 */
class GradientNormalisationTest {
    private static final double LR = 0.1;
    private static final double THRESHOLD = 1e-3;
    private static final double RELATIVE = 1e-3;

    @ParameterizedTest
    @EnumSource(value = GradientNormalization.class, names = "None", mode = EnumSource.Mode.EXCLUDE)
    void survivingStepHasTheNormTheModePrescribes(GradientNormalization mode) {
        for (double sparsity : new double[] {0.0, 0.9}) {
            MultiLayerNetwork net = net(mode);
            Pruning pruning = sparsity == 0.0 ? null : Dl4jPruning.attach(net, PruningConfig.builder(sparsity, 60)
                    .deltaT(20).schedule(ScheduleKind.CONSTANT).rankLoss(RankLoss.none()).build());
            if (pruning != null) {
                assertEquals(sparsity, pruning.sparsity(), 0.01);
            }
            List<Map<String, INDArray>> before = params(net);
            net.fit(Nets.data(1, 8, 21).get(0));
            List<Map<String, INDArray>> after = params(net);
            for (int layer = 0; layer < before.size(); layer++) {
                checkLayer(mode, sparsity, layer, before.get(layer), after.get(layer));
            }
        }
    }

    private static void checkLayer(GradientNormalization mode, double sparsity, int layer, Map<String, INDArray> before,
                                   Map<String, INDArray> after) {
        String where = mode + " at sparsity " + sparsity + ", layer " + layer;
        double layerSquares = 0;
        double maxAbs = 0;
        for (String key : before.keySet()) {
            INDArray step = before.get(key).sub(after.get(key));
            double norm = step.norm2Number().doubleValue();
            layerSquares += norm * norm;
            maxAbs = Math.max(maxAbs, step.amaxNumber().doubleValue());
            if (mode == GradientNormalization.RenormalizeL2PerParamType) {
                assertEquals(LR, norm, LR * RELATIVE, where + " param " + key);
            } else if (mode == GradientNormalization.ClipL2PerParamType) {
                assertEquals(LR * THRESHOLD, norm, LR * THRESHOLD * RELATIVE, where + " param " + key);
            }
        }
        double layerNorm = Math.sqrt(layerSquares);
        switch (mode) {
            case RenormalizeL2PerLayer -> assertEquals(LR, layerNorm, LR * RELATIVE, where);
            case ClipL2PerLayer -> assertEquals(LR * THRESHOLD, layerNorm, LR * THRESHOLD * RELATIVE, where);
            case ClipElementWiseAbsoluteValue -> assertEquals(LR * THRESHOLD, maxAbs, LR * THRESHOLD * RELATIVE,
                    where);
            default -> assertTrue(layerNorm > 0, where);
        }
    }

    private static MultiLayerNetwork net(GradientNormalization mode) {
        MultiLayerConfiguration conf = Nets.base(new Sgd(LR), Nets.Decay.NONE).gradientNormalization(mode)
                .gradientNormalizationThreshold(THRESHOLD).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.TANH).name("conv").build())
                .layer(new DenseLayer.Builder().nOut(12).activation(Activation.TANH).name("dense").build())
                .layer(Nets.output())
                .setInputType(InputType.convolutional(Nets.SIZE, Nets.SIZE, Nets.CHANNELS)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static List<Map<String, INDArray>> params(MultiLayerNetwork net) {
        List<Map<String, INDArray>> out = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            Map<String, INDArray> copy = new java.util.LinkedHashMap<>();
            net.getLayer(i).paramTable().forEach((k, v) -> copy.put(k, v.castTo(
                    org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup()));
            out.add(copy);
        }
        return out;
    }
}
