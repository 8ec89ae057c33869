package org.rpg4j.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ChannelReconstructionTest {
    private static final double TIGHT = 1e-6;

    @Test
    void gramMatchesExplicitContributions() {
        Nd4j.getRandom().setSeed(7);
        int n = 30;
        int c = 3;
        int area = 4;
        INDArray patches = Nd4j.randn(DataType.DOUBLE, n, c * area);
        INDArray weights = Nd4j.randn(DataType.DOUBLE, 5, c, 2, 2);
        INDArray gram = ChannelReconstruction.channelGram(patches, weights);
        // independent: Z_c = X[:, c*4 .. c*4+3] * W[:, c]^T as [n, out], then <Z_a, Z_b> elementwise
        INDArray[] z = new INDArray[c];
        for (int k = 0; k < c; k++) {
            INDArray xc = patches.get(NDArrayIndex.all(), NDArrayIndex.interval(k * area, (k + 1) * area));
            INDArray wc = weights.get(NDArrayIndex.all(), NDArrayIndex.point(k), NDArrayIndex.all(), NDArrayIndex.all())
                    .reshape('c', 5, area);
            z[k] = xc.mmul(wc.transpose());
        }
        for (int a = 0; a < c; a++) {
            for (int b = 0; b < c; b++) {
                double expected = z[a].mul(z[b]).sumNumber().doubleValue();
                assertEquals(expected, gram.getDouble(a, b), 1e-9 * Math.abs(expected) + 1e-9);
            }
        }
    }

    @Test
    void refitRecoversARemovedChannelThatOthersExplain() {
        Nd4j.getRandom().setSeed(11);
        int n = 200;
        INDArray patches = Nd4j.randn(DataType.DOUBLE, n, 3);
        // 1x1 kernel, 3 input channels; channel 2 = 2 * channel 0 - channel 1 + 0.5 on every row
        patches.getColumn(2).assign(patches.getColumn(0).mul(2).sub(patches.getColumn(1)).add(0.5));
        INDArray weights = Nd4j.randn(DataType.DOUBLE, 4, 3, 1, 1);
        boolean[] keep = {true, true, false};
        ChannelReconstruction.Refit refit = ChannelReconstruction.refit(patches, weights, keep);
        assertEquals(4, refit.weights().size(0));
        assertEquals(2, refit.weights().size(1));
        INDArray full = Nd4j.zeros(DataType.DOUBLE, 4, 3, 1, 1);
        full.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2), NDArrayIndex.all(), NDArrayIndex.all())
                .assign(refit.weights());
        double refitted = ChannelReconstruction.relativeError(patches, weights, full, refit.biasShift());
        INDArray dropped = weights.dup();
        dropped.get(NDArrayIndex.all(), NDArrayIndex.point(2), NDArrayIndex.all(), NDArrayIndex.all()).assign(0);
        double plain = ChannelReconstruction.relativeError(patches, weights, dropped, null);
        assertTrue(refitted < TIGHT, "refit error " + refitted);
        assertTrue(plain > 0.1, "dropping without refit should lose a lot, got " + plain);
        // W'_0 = W_0 + 2 W_2, W'_1 = W_1 - W_2, d = 0.5 W_2
        assertEquals(weights.getDouble(1, 0, 0, 0) + 2 * weights.getDouble(1, 2, 0, 0),
                refit.weights().getDouble(1, 0, 0, 0), 1e-4);
        assertEquals(0.5 * weights.getDouble(3, 2, 0, 0), refit.biasShift().getDouble(3), 1e-4);
    }

    @Test
    void withoutRefitTheKeptWeightsStayAndTheBiasTakesTheRemovedMeanContribution() {
        // 1x1 kernel, 2 channels, 2 outputs; rows [1, 2] and [3, 4]: mean [2, 3]; channel 1 removed:
        // shift = 3 * W[:, 1] = 3 * [5, 7] = [15, 21]
        INDArray patches = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}});
        INDArray weights = Nd4j.createFromArray(new double[] {4, 5, 6, 7}).reshape(2, 2, 1, 1);
        ChannelReconstruction.Refit r = ChannelReconstruction.keepWeights(patches, weights, new boolean[] {true,
                false});
        assertEquals(15, r.biasShift().getDouble(0), 1e-12);
        assertEquals(21, r.biasShift().getDouble(1), 1e-12);
        assertEquals(4, r.weights().getDouble(0, 0, 0, 0), 0);
        assertEquals(6, r.weights().getDouble(1, 0, 0, 0), 0);
        // 2 rows for 1 * 1 + 1 = 2 unknowns: under-determined; 4 rows suffice
        assertTrue(!ChannelReconstruction.determined(2, new boolean[] {true, false}, 1));
        assertTrue(ChannelReconstruction.determined(4, new boolean[] {true, false}, 1));
    }

    @Test
    void rejectsMismatchedShapes() {
        assertThrows(IllegalArgumentException.class,
                () -> ChannelReconstruction.channelGram(Nd4j.zeros(4, 5), Nd4j.zeros(2, 3, 1, 1)));
        assertThrows(IllegalArgumentException.class, () -> ChannelReconstruction.refit(Nd4j.zeros(4, 3),
                Nd4j.zeros(2, 3, 1, 1), new boolean[] {false, false, false}));
    }
}
