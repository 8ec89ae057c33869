package org.rpg4j.dl4j.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rpg4j.dl4j.DetachedRun;
import org.rpg4j.dl4j.PrunableLayers;
import org.rpg4j.dl4j.ReplicaTensors;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.PruningConfig;

/**
 * {@code ReplicaTensors} on vectors laid out like the flat parameters (an encoder residual): masking
 * one gives, position for position, what masking the weights gives, and the counters of non-zero
 * entries at pruned positions (flat vector, updater state) count exactly the pruned positions.
 */
class ReplicaFlatVectorTest {
    /** An update at each of iterations 0-3 (tEnd = 5), as in {@link TopologyRoundTest}. */
    private static final PruningConfig CONFIG = PruningConfig.builder(0.5, 10).deltaT(1).rampEndFraction(0.5)
            .updateEndFraction(0.5).seed(3).build();

    @Test
    void flatVectorIsMaskedWhereTheWeightsAre() {
        MultiLayerNetwork net = net();
        DetachedRun run = DetachedRun.attach(net, CONFIG, PrunableLayers.defaults());
        ReplicaTensors tensors = ReplicaTensors.bind(net, run.pruner());
        for (int iteration = 0; iteration < 4; iteration++) {
            net.setInput(Nd4j.rand(DataType.FLOAT, 4, 2, 6, 6).subi(0.5));
            INDArray labels = Nd4j.zeros(DataType.FLOAT, 4, 3);
            for (int i = 0; i < 4; i++) {
                labels.putScalar(i, (i + iteration) % 3, 1.0);
            }
            net.setLabels(labels);
            net.computeGradientAndScore();
            tensors.beforeUpdater(true, null);
            TopologyRound.run(run, iteration, tensors, List.of(tensors.captured()), List.of());
        }
        long pruned = 0;
        for (PrunableTensor t : run.pruner().tensors()) {
            pruned += run.pruner().mask(t.name()).length() - run.pruner().mask(t.name()).sumNumber().longValue();
        }
        assertTrue(pruned > 0, "the updates pruned");

        // the reference layout: parameters all 1.0, then the weights masked through their own views
        INDArray saved = net.params().dup();
        net.params().assign(1.0);
        tensors.maskWeightsAndState();
        float[] expected = net.params().dup().reshape(-1).toFloatVector();
        net.params().assign(saved);

        INDArray residual = Nd4j.ones(DataType.FLOAT, net.numParams());
        assertEquals(pruned, tensors.prunedNonZeroIn(residual), "every pruned position counted once");
        tensors.maskFlatInPlace(residual);
        assertArrayEquals(expected, residual.toFloatVector(), 0f);
        assertEquals(0, tensors.prunedNonZeroIn(residual));

        INDArray state = net.getUpdater().getStateViewArray();
        state.assign(1.0);
        // Adam keeps two state arrays (first and second moment) per parameter
        assertEquals(2 * pruned, tensors.prunedNonZeroState());
        tensors.maskWeightsAndState();
        assertEquals(0, tensors.prunedNonZeroState());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tensors.maskFlatInPlace(Nd4j.ones(DataType.FLOAT, net.numParams() - 1)));
        assertTrue(e.getMessage().contains("flat must have one entry per parameter"), e.getMessage());
    }

    private static MultiLayerNetwork net() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(12345).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).updater(new Adam(1e-2)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.RELU).name("conv").build())
                .layer(new DenseLayer.Builder().nOut(12).activation(Activation.RELU).name("dense").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .name("out").build())
                .setInputType(InputType.convolutional(6, 6, 2)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
