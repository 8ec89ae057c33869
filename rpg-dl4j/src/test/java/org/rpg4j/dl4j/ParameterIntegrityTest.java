package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Parameters changed behind rpg4j's back: values copied into the parameters (DL4J's
 * {@code setParams} assigns into the existing array) that make pruned weights non-zero, or a layer
 * given other parameter arrays ({@code setParamTable}), stop training at the next iteration with a message naming the
 * tensor and the fix. DL4J ignores {@code init(params, false)} on an initialised network, so that
 * call changes nothing rpg4j sees.
 */
class ParameterIntegrityTest {

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void setParamsThatRevivesPrunedWeightsIsRefused(Nets.Kind kind) {
        Model net = Nets.small(kind, new Adam(0.01), Nets.Decay.NONE, false);
        Pruning pruning = Dl4jPruning.attach(net, SaveRestoreTest.config());
        List<DataSet> data = Nets.data(6, 4, 12);
        data.subList(0, 4).forEach(d -> Nets.fit(net, d));
        assertTrue(pruning.sparsity() > 0.3);
        INDArray everyWeightNonZero = net.params().dup().addi(0.01);
        net.setParams(everyWeightNonZero);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Nets.fit(net, data.get(4)));
        assertTrue(e.getMessage().contains("pruned weights of '") && e.getMessage().contains("setParams"),
                e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void layerGivenAnotherParameterArrayIsRefused(Nets.Kind kind) {
        Model net = Nets.small(kind, new Adam(0.01), Nets.Decay.NONE, false);
        Dl4jPruning.attach(net, SaveRestoreTest.config());
        List<DataSet> data = Nets.data(2, 4, 12);
        Nets.fit(net, data.get(0));
        org.deeplearning4j.nn.api.Layer dense = Inspect.layer(net, "dense");
        Map<String, INDArray> copies = new LinkedHashMap<>();
        dense.paramTable().forEach((k, v) -> copies.put(k, v.dup()));
        dense.setParamTable(copies);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Nets.fit(net, data.get(1)));
        assertTrue(e.getMessage().contains("'dense/W'") && e.getMessage().contains("another array"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void initWithParametersOnAnInitialisedNetworkChangesNothing(Nets.Kind kind) {
        Model net = Nets.small(kind, new Adam(0.01), Nets.Decay.NONE, false);
        Pruning pruning = Dl4jPruning.attach(net, SaveRestoreTest.config());
        List<DataSet> data = Nets.data(4, 4, 12);
        data.subList(0, 2).forEach(d -> Nets.fit(net, d));
        INDArray live = net.params();
        INDArray replacement = live.dup().assign(0.5);
        if (net instanceof MultiLayerNetwork m) {
            m.init(replacement, false);
        } else {
            ((org.deeplearning4j.nn.graph.ComputationGraph) net).init(replacement, false);
        }
        assertSame(TensorBinding.base(live.data()), TensorBinding.base(net.params().data()),
                "DL4J keeps its parameter array");
        assertEquals(0, net.params().eq(0.5).castTo(org.nd4j.linalg.api.buffer.DataType.INT32).sumNumber().intValue());
        data.subList(2, 4).forEach(d -> Nets.fit(net, d));
        Inspect.assertPrunedAreZero(pruning, "after init(params, false)");
    }
}
