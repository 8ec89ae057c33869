package org.rpg4j.dl4j.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rpg4j.dl4j.DetachedRun;
import org.rpg4j.dl4j.PrunableLayers;
import org.rpg4j.dl4j.ReplicaTensors;
import org.rpg4j.prune.PruningConfig;

/**
 * One topology update from two replicas' gradients, without any training engine: the masks equal
 * those of an independent pruner fed the hand-averaged gradient, and the replica ends as an exact
 * copy of the root with its pruned weights exactly 0.0.
 */
class TopologyRoundTest {
    /** An update at each of iterations 0-3 (tEnd = 5): 4 of 10 steps skipped, under the limit of half. */
    private static final PruningConfig CONFIG = PruningConfig.builder(0.5, 10).deltaT(1).rampEndFraction(0.5)
            .updateEndFraction(0.5).seed(3).build();

    @Test
    void oneUpdateFromAveragedGradientsReachesEveryReplica() {
        MultiLayerNetwork root = net();
        MultiLayerNetwork replica = net();
        MultiLayerNetwork reference = net();
        DetachedRun run = DetachedRun.attach(root, CONFIG, PrunableLayers.defaults());
        DetachedRun referenceRun = DetachedRun.attach(reference, CONFIG, PrunableLayers.defaults());
        ReplicaTensors rootTensors = ReplicaTensors.bind(root, run.pruner());
        ReplicaTensors replicaTensors = ReplicaTensors.bind(replica, run.pruner());

        ReplicaTensors referenceTensors = ReplicaTensors.bind(reference, referenceRun.pruner());
        Map<String, INDArray> handMean = new LinkedHashMap<>();
        // the first updates of the cubic schedule keep everything: run until one prunes
        for (int iteration = 0; iteration < 4; iteration++) {
            capture(root, rootTensors, batch(1 + iteration));
            capture(replica, replicaTensors, batch(100 + iteration));
            handMean.clear();
            rootTensors.captured().forEach((name, g) -> handMean.put(name,
                    g.add(replicaTensors.captured().get(name)).muli(0.5)));
            TopologyRound.run(run, iteration, rootTensors, List.of(rootTensors.captured(), replicaTensors.captured()),
                    List.of(replicaTensors));
            referenceRun.pruner().updateTopology(iteration, referenceTensors.weights(), handMean);
        }
        assertTrue(run.pruner().sparsity() > 0, "the update pruned");
        for (String name : handMean.keySet()) {
            assertArrayEquals(referenceRun.pruner().mask(name).dup().reshape(-1).toDoubleVector(),
                    run.pruner().mask(name).dup().reshape(-1).toDoubleVector(), 0.0, name);
        }
        assertArrayEquals(root.params().dup().reshape(-1).toFloatVector(),
                replica.params().dup().reshape(-1).toFloatVector(), 0f, "replica is an exact copy of the root");
        assertArrayEquals(root.getUpdater().getStateViewArray().dup().reshape(-1).toFloatVector(),
                replica.getUpdater().getStateViewArray().dup().reshape(-1).toFloatVector(), 0f);
        replicaTensors.prunedNonZero().forEach((name, n) -> assertEquals(0L, n, name));
    }

    private static void capture(MultiLayerNetwork net, ReplicaTensors tensors, DataSet data) {
        net.setInput(data.getFeatures());
        net.setLabels(data.getLabels());
        net.computeGradientAndScore();
        tensors.beforeUpdater(true, null);
    }

    private static DataSet batch(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2, 6, 6).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 4, 3);
        for (int i = 0; i < 4; i++) {
            y.putScalar(i, (i + seed) % 3, 1.0);
        }
        return new DataSet(x, y);
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
