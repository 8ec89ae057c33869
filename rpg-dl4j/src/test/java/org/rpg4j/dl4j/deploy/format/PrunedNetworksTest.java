package org.rpg4j.dl4j.deploy.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.dataset.DataSet;
import org.rpg4j.dl4j.Dl4jPruning;
import org.rpg4j.dl4j.Pruning;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;
import org.rpg4j.sparse.format.EncodedTensor;
import org.rpg4j.sparse.format.SparseModel;
import org.rpg4j.sparse.format.ValuePrecision;

/** Networks pruned by rpg4j: written during the run (the masks decide what is stored) and after finish(). */
class PrunedNetworksTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"MLN", "CG"})
    void duringAndAfterTheRunTheLoadedNetworkComputesTheSame(String kind) throws IOException {
        Model net = kind.equals("MLN") ? SparseModelsTest.mln(LayerZoo.stack2d())
                : SparseModelsTest.graph(LayerZoo.graph2d());
        Pruning pruning = Dl4jPruning.attach(net, PruningConfig.builder(0.9, 8).deltaT(2)
                .rankLoss(RankLoss.lambda(1.0)).build());
        DataSet data = Networks.data(new long[] {3, 8, 8}, 8, 4);
        Networks.fit(net, data, 8);
        assertTrue(pruning.sparsity() > 0.85, "sparsity " + pruning.sparsity());

        Path during = dir.resolve("during.zip");
        SparseModel written = SparseModels.write(pruning, during, ValuePrecision.FLOAT32);
        Map<String, boolean[]> masks = PruningMasks.of(pruning);
        for (EncodedTensor t : written.tensors()) {
            boolean[] kept = masks.get(t.layout().name());
            if (kept != null) {
                // the stored positions are exactly the mask's kept entries (pruned entries are 0.0)
                int ones = 0;
                for (boolean k : kept) {
                    ones += k ? 1 : 0;
                }
                assertEquals(ones, t.storedCount(), t.layout().name());
            }
        }
        assertEquals(pruning.tensors().size(), masks.size());
        assertTrue(configJson(net).contains("org.rpg4j.dl4j.hooks"), "the running network keeps its hooks");
        assertFalse(written.configuration().contains("org.rpg4j.dl4j.hooks"), "the deployed one has none");

        float[] expected = Networks.output(net, data.getFeatures());
        Networks.assertInputDependent(expected, 8, kind);
        Model loaded = SparseModels.load(during);
        Networks.assertBitIdentical(expected, Networks.output(loaded, data.getFeatures()), kind + " during");

        pruning.finish();
        Path after = dir.resolve("after.zip");
        SparseModels.write(net, after, ValuePrecision.FLOAT32);
        Networks.assertBitIdentical(expected, Networks.output(SparseModels.load(after), data.getFeatures()),
                kind + " after finish()");
        Path finished = dir.resolve("finished-run.zip");
        SparseModels.write(pruning, finished, ValuePrecision.FLOAT32);
        Networks.assertBitIdentical(expected, Networks.output(SparseModels.load(finished), data.getFeatures()),
                kind + " written from the finished run");
        for (PrunableTensor t : pruning.tensors()) {
            assertTrue(t.name().contains("/"), t.name());
        }
    }

    private static String configJson(Model net) {
        return net instanceof MultiLayerNetwork m ? m.getLayerWiseConfigurations().toJson()
                : ((ComputationGraph) net).getConfiguration().toJson();
    }
}
