package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

/**
 * DL4J networks built from one configuration object share their layer configurations: such a
 * network carries the hooks rpg4j bound to another network. Training it, or attaching to it, fails
 * at once with a message that says why and what to do; the pruned network itself trains on. A
 * {@code net.clone()} carries unbound copies of the hooks and refuses to train, naming
 * {@code Dl4jPruning.restore}.
 */
class SharedNetworksTest {

    @Test
    void networkBuiltFromTheSameConfigurationObjectRefusesToTrainAndToAttach() {
        MultiLayerConfiguration conf = Nets.smallMln(new Adam(0.01), Nets.Decay.NONE, false)
                .getLayerWiseConfigurations();
        MultiLayerNetwork pruned = new MultiLayerNetwork(conf);
        pruned.init();
        MultiLayerNetwork sibling = new MultiLayerNetwork(conf);
        sibling.init();
        Pruning pruning = Dl4jPruning.attach(pruned, SaveRestoreTest.config());
        List<DataSet> data = Nets.data(SaveRestoreTest.ITERATIONS, 4, 9);

        IllegalStateException train = assertThrows(IllegalStateException.class, () -> sibling.fit(data.get(0)));
        assertTrue(train.getMessage().contains("bound to another network")
                && train.getMessage().contains("same configuration object"), train.getMessage());
        IllegalStateException attach = assertThrows(IllegalStateException.class,
                () -> Dl4jPruning.attach(sibling, SaveRestoreTest.config()));
        assertTrue(attach.getMessage().contains("shares its layer configurations"), attach.getMessage());

        data.forEach(pruned::fit);
        assertTrue(pruning.sparsity() > 0.5);
        Inspect.assertPrunedAreZero(pruning, "the pruned network trains on");
    }

    @Test
    void cloneOfAnAttachedNetworkRefusesToTrain() {
        MultiLayerNetwork net = Nets.smallMln(new Adam(0.01), Nets.Decay.NONE, false);
        Dl4jPruning.attach(net, SaveRestoreTest.config());
        List<DataSet> data = Nets.data(2, 4, 9);
        net.fit(data.get(0));
        MultiLayerNetwork copy = net.clone();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> copy.fit(data.get(1)));
        assertTrue(e.getMessage().contains("cloned") && e.getMessage().contains("Dl4jPruning.restore"), e.getMessage());
        net.fit(data.get(1));
    }

    @Test
    void separateConfigurationsCanEachBeAttached() {
        MultiLayerConfiguration conf = Nets.smallMln(new Adam(0.01), Nets.Decay.NONE, false)
                .getLayerWiseConfigurations();
        MultiLayerNetwork a = new MultiLayerNetwork(conf.clone());
        a.init();
        MultiLayerNetwork b = new MultiLayerNetwork(conf.clone());
        b.init();
        Pruning pa = Dl4jPruning.attach(a, SaveRestoreTest.config());
        Pruning pb = Dl4jPruning.attach(b, SaveRestoreTest.config());
        Nets.data(SaveRestoreTest.ITERATIONS, 4, 9).forEach(d -> {
            a.fit(d);
            b.fit(d);
        });
        assertTrue(pa.sparsity() > 0.5 && pb.sparsity() > 0.5);
    }
}
