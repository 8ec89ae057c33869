package org.rpg4j.dl4j.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.rpg4j.dl4j.graph.ChannelDependencies;

/** SSL group lasso: gradient against finite differences, shrinking under fit, removal below a threshold. */
class GroupLassoTest {

    private static MultiLayerNetwork net() {
        return CriteriaNets.convBnConv(7);
    }

    @Test
    void gradientMatchesFiniteDifferencesOnFiltersAndInputChannels() {
        INDArray w = Nd4j.rand(DataType.DOUBLE, 3, 2, 2, 2).subi(0.5);
        double lambda = 0.3;
        double eps = 1e-6;
        for (int axis : new int[] {0, 1}) {
            INDArray g = GroupLasso.gradient(w, axis, lambda);
            for (int i = 0; i < w.length(); i++) {
                INDArray plus = w.dup();
                INDArray minus = w.dup();
                plus.putScalar(i, w.getDouble(i) + eps);
                minus.putScalar(i, w.getDouble(i) - eps);
                double fd = (GroupLasso.penalty(plus, axis, lambda) - GroupLasso.penalty(minus, axis, lambda)) / (2
                        * eps);
                assertEquals(fd, g.getDouble(i), 1e-7, "axis " + axis + " index " + i);
            }
        }
        // hand case: one group [3, 4], norm 5, lambda 1: gradient [0.6, 0.8]; a zero group's gradient is 0
        INDArray h = Nd4j.createFromArray(new double[][] {{3, 4}, {0, 0}});
        assertEquals(0.6, GroupLasso.gradient(h, 0, 1).getDouble(0, 0), 1e-15);
        assertEquals(0.8, GroupLasso.gradient(h, 0, 1).getDouble(0, 1), 1e-15);
        assertEquals(0.0, GroupLasso.gradient(h, 0, 1).getDouble(1, 1), 0.0);
    }

    @Test
    void penaltyShrinksGroupNormsDuringFit() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 2, 6, 6).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 3);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        MultiLayerNetwork plain = net();
        MultiLayerNetwork ssl = net();
        GroupLasso hook = new GroupLasso(0.01);
        hook.install(ssl, ChannelDependencies.analyse(ssl));
        for (int i = 0; i < 5; i++) {
            plain.fit(x, y);
            ssl.fit(x, y);
        }
        double plainNorms = GroupLasso.penalty(plain.getParam("0_W"), 0, 1);
        double sslNorms = GroupLasso.penalty(ssl.getParam("0_W"), 0, 1);
        // each of 8 filters loses up to 0.01 per step from the filter term and more from nothing else: >= 0.2 in total
        assertTrue(sslNorms < plainNorms - 0.2, "ssl " + sslNorms + " vs plain " + plainNorms);
        hook.remove(ssl);
        assertTrue(ssl.getListeners().isEmpty());
    }

    @Test
    void zeroFiltersAreRemovedWithOutputsUnchanged() {
        MultiLayerNetwork net = net();
        net.getParam("0_W").get(NDArrayIndex.point(2), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                .assign(0);
        net.getParam("0_W").get(NDArrayIndex.point(5), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                .muli(1e-6);
        StructuredResult r = GroupLasso.removeBelow(net, 1e-3, new int[] {2, 6, 6});
        // filters 2 (exactly 0) and 5 (norm ~1e-6) go: 8 -> 6
        assertEquals(6, r.report().layers().get(0).after().channels());
        assertEquals(6, r.report().layers().get(2).after().channels());
        MultiLayerNetwork exact = net();
        exact.getParam("0_W").get(NDArrayIndex.point(2), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                .assign(0);
        StructuredResult e = GroupLasso.removeBelow(exact, 1e-3, null);
        INDArray in = Nd4j.rand(DataType.FLOAT, 4, 2, 6, 6).subi(0.5);
        assertTrue(exact.output(in).equalsWithEps(((MultiLayerNetwork) e.network()).output(in), 1e-5));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> GroupLasso.removeBelow(net, -0.5, null));
        assertTrue(ex.getMessage().contains("-0.5"), ex.getMessage());
    }
}
