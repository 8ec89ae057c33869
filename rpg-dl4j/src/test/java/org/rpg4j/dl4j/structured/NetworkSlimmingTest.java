package org.rpg4j.dl4j.structured;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.structured.ChannelGroup;

/** Network Slimming: the L1 penalty's gradient, its effect during fit(), and |gamma| ranking. */
class NetworkSlimmingTest {

    /** conv3x3(2->8) - BN - conv3x3(8->6) - GAP - dense(6->3); input 2x6x6. */
    private static MultiLayerNetwork net() {
        return CriteriaNets.convBnConv(5);
    }

    @Test
    void gradientIsLambdaTimesSignByHandAndFiniteDifferences() {
        // lambda 0.1: sign(0.5) = 1, sign(-2) = -1, sign(0) = 0 -> [0.1, -0.1, 0]
        assertArrayEquals(new double[] {0.1, -0.1, 0},
                NetworkSlimming.gradient(Nd4j.createFromArray(0.5, -2.0, 0.0), 0.1).toDoubleVector(), 1e-15);
        double[] gamma = {0.3, -0.7, 1.2, -0.05};
        double lambda = 0.37;
        double eps = 1e-6;
        double[] analytic = NetworkSlimming.gradient(Nd4j.createFromArray(gamma), lambda).toDoubleVector();
        for (int i = 0; i < gamma.length; i++) {
            double[] plus = gamma.clone();
            double[] minus = gamma.clone();
            plus[i] += eps;
            minus[i] -= eps;
            double fd = (NetworkSlimming.penalty(Nd4j.createFromArray(plus), lambda)
                    - NetworkSlimming.penalty(Nd4j.createFromArray(minus), lambda)) / (2 * eps);
            assertEquals(fd, analytic[i], 1e-8, "index " + i);
        }
    }

    @Test
    void penaltyShrinksGammasDuringFitAndRankingKeepsTheLargest() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 2, 6, 6).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 3);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        MultiLayerNetwork plain = net();
        MultiLayerNetwork slim = net();
        NetworkSlimming hook = new NetworkSlimming(0.02);
        hook.install(slim, ChannelDependencies.analyse(slim));
        for (int i = 0; i < 5; i++) {
            plain.fit(x, y);
            slim.fit(x, y);
        }
        double plainL1 = plain.getParam("1_gamma").norm1Number().doubleValue();
        double slimL1 = slim.getParam("1_gamma").norm1Number().doubleValue();
        // 8 gammas starting at 1, 5 steps of 0.02 each: about 8 * 0.1 = 0.8 lower than without the penalty
        assertTrue(slimL1 < plainL1 - 0.7, "penalised " + slimL1 + " vs plain " + plainL1);
        hook.remove(slim);
        slim.getParam("1_gamma").putScalar(3, 0.001);
        slim.getParam("1_gamma").putScalar(6, -0.002);
        double before = slim.getParam("1_gamma").norm1Number().doubleValue();
        slim.fit(x, y);
        assertTrue(Math.abs(slim.getParam("1_gamma").norm1Number().doubleValue() - before) < 0.05,
                "hook removed: the penalty alone would move |gamma| by 8 * 0.02 = 0.16");

        float[] gamma = slim.getParam("1_gamma").toFloatVector();
        StructuredResult r = StructuredPruning.prune(slim, StructuredConfig.builder(0.25).criterion("slimming")
                .scope(RankingScope.GLOBAL).exclude("layer2").build());
        ChannelGroup conv0 = ChannelDependencies.analyse(slim).groups().stream()
                .filter(g -> g.producers().contains("layer0")).findFirst().orElseThrow();
        boolean[] keep = r.selection().keep(conv0);
        // floor(0.25 * 8) = 2 removed: the two near-zero gammas set above
        assertTrue(!keep[3] && !keep[6], java.util.Arrays.toString(gamma) + " -> " + java.util.Arrays.toString(keep));
        assertEquals(6, r.report().layers().get(0).after().channels());
    }

    @Test
    void groupsWithoutBatchNormAndBadStepsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StructuredPruning.prune(net(),
                StructuredConfig.builder(0.25).criterion("slimming").build()));
        assertTrue(e.getMessage().contains("layer2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new NetworkSlimming(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }
}
