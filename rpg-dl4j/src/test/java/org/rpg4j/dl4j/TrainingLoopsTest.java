package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.adapter.MultiDataSetIteratorAdapter;
import org.nd4j.linalg.learning.config.Adam;
import org.rpg4j.prune.PruningConfig;

/** The user's own loop stays as it is: iterators over epochs, MultiDataSets, no workspaces, doubles. */
class TrainingLoopsTest {
    static final int BATCHES = 5;
    static final int EPOCHS = 3;

    static PruningConfig config() {
        return PruningConfig.builder(0.8, (long) BATCHES * EPOCHS).deltaT(2).build();
    }

    @Test
    void multiLayerNetworkFitsAnIteratorOverEpochsWithoutWorkspacesInDoublePrecision() {
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.base(new Adam(0.01), Nets.Decay.L2)
                .dataType(DataType.DOUBLE).trainingWorkspaceMode(WorkspaceMode.NONE).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).name("conv").build())
                .layer(Nets.output())
                .setInputType(InputType.convolutional(Nets.SIZE, Nets.SIZE, Nets.CHANNELS)).build());
        net.init();
        Pruning pruning = Dl4jPruning.attach(net, config());
        List<DataSet> data = Nets.data(BATCHES, 4, 17);
        data.forEach(d -> {
            d.setFeatures(d.getFeatures().castTo(DataType.DOUBLE));
            d.setLabels(d.getLabels().castTo(DataType.DOUBLE));
        });
        net.fit(new ListDataSetIterator<>(data, 1), EPOCHS);
        assertEquals(BATCHES * EPOCHS, pruning.iteration());
        assertEquals(DataType.DOUBLE, pruning.tensors().get(0).dataType());
        assertEquals(0.8, pruning.sparsity(), 0.01);
        Inspect.assertPrunedAreZero(pruning, "after fit(iterator, epochs)");
    }

    @Test
    void computationGraphFitsAMultiDataSetIteratorOverEpochs() {
        ComputationGraph net = Nets.smallGraph(new Adam(0.01), Nets.Decay.WEIGHT_DECAY, true);
        Pruning pruning = Dl4jPruning.attach(net, config());
        net.fit(new MultiDataSetIteratorAdapter(new ListDataSetIterator<>(Nets.data(BATCHES, 4, 18), 1)), EPOCHS);
        assertEquals(BATCHES * EPOCHS, pruning.iteration());
        assertEquals(0.8, pruning.sparsity(), 0.01);
        Inspect.assertPrunedAreZero(pruning, "after fit(multiDataSetIterator, epochs)");
    }
}
