package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** {@link BatchNormFold#foldInto}: a hand-computed fold, and arrays that do not fit the layer named. */
class BatchNormFoldTest {

    @Test
    void foldsScaleAndShiftIntoEachOutputRow() {
        MultiLayerNetwork net = network();
        Layer bn = net.getLayer(1);
        // channel 0: mean 1, variance 3 (+ eps 1 = 4), gamma 2, beta 0.5 -> scale 2 / sqrt(4) = 1
        // channel 1: mean -1, variance 0 (+ eps 1 = 1), gamma 3, beta 0 -> scale 3
        bn.getParam("mean").assign(Nd4j.createFromArray(1f, -1f).reshape(1, 2));
        bn.getParam("var").assign(Nd4j.createFromArray(3f, 0f).reshape(1, 2));
        bn.getParam("gamma").assign(Nd4j.createFromArray(2f, 3f).reshape(1, 2));
        bn.getParam("beta").assign(Nd4j.createFromArray(0.5f, 0f).reshape(1, 2));
        float[] weights = {1, 2, 3, 4, 5, 6};
        float[] bias = {3, 1};
        BatchNormFold.foldInto(bn, weights, bias);
        // rows times their scale; bias' = scale (bias - mean) + beta: 1 * (3 - 1) + 0.5 = 2.5, 3 * (1 + 1) + 0 = 6
        assertArrayEquals(new float[] {1, 2, 3, 12, 15, 18}, weights, 1e-6f);
        assertArrayEquals(new float[] {2.5f, 6}, bias, 1e-6f);
    }

    @Test
    void rejectsArraysThatDoNotFitTheLayer() {
        MultiLayerNetwork net = network();
        Layer bn = net.getLayer(1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BatchNormFold.foldInto(bn, new float[6],
                new float[3])).getMessage().contains("bias must hold nOut = 2 values and weights a positive multiple "
                        + "of 2 ([nOut, patch]), got 3 and 6"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BatchNormFold.foldInto(bn, new float[5],
                new float[2])).getMessage().contains("got 2 and 5"));
        assertThrows(IllegalArgumentException.class, () -> BatchNormFold.foldInto(bn, null, new float[2]));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BatchNormFold.foldInto(net.getLayer(0),
                new float[6], new float[2])).getMessage().contains("bn must be a batch-normalisation layer, got "
                        + "DenseLayer"));
        assertThrows(IllegalArgumentException.class, () -> BatchNormFold.foldInto(null, new float[6], new float[2]));
    }

    private static MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .list().layer(new DenseLayer.Builder().nOut(2).build()).layer(new BatchNormalization.Builder()
                        .useLogStd(false).eps(1.0)
                        .build()).setInputType(InputType.feedForward(3)).build());
        net.init();
        return net;
    }
}
