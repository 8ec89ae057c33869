package org.rpg4j.dl4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rpg4j.dl4j.layers.TestArrays.assertClose;
import static org.rpg4j.dl4j.layers.TestArrays.gaussian;

import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.tensor.HostAccess;

/**
 * The passes of batch normalisation: hand-computed values, and the Java-loop route
 * ({@link ChannelKernels}) against the libnd4j-op route (forced with the host-access property)
 * on shapes whose {@code h * w} is not a multiple of the kernels' 4 lanes.
 */
class BatchNormPassesTest {

    /** Double sums against libnd4j's float reductions over 3 x 3 x 3 = 27 values per channel. */
    private static final double ROUTE_TOLERANCE = 1e-5;

    @AfterEach
    void clearProperty() {
        System.clearProperty(HostAccess.PROPERTY);
    }

    @Test
    void statisticsOfAHandComputedCase() {
        // x [2, 2, 1, 2]: channel 0 holds 1, 3 (sample 0) and 5, 7 (sample 1): mean 4,
        // variance ((-3)^2 + (-1)^2 + 1^2 + 3^2) / 4 = 5; channel 1 holds 2, 2, 2, 2: mean 2, variance 0.
        INDArray x = Nd4j.createFromArray(new float[] {1, 3, 2, 2, 5, 7, 2, 2}).reshape(2, 2, 1, 2);
        assertTrue(ChannelKernels.applicable(x), "the kernel route is taken");
        double[][] statistics = BatchNormPasses.statistics(x);
        assertArrayEquals(new double[] {4, 2}, statistics[0], 0.0);
        assertArrayEquals(new double[] {5, 0}, statistics[1], 0.0);
    }

    @Test
    void sumAndDotAndAffineMapsOfAHandComputedCase() {
        INDArray u = Nd4j.createFromArray(new float[] {1, 3, 2, 2, 5, 7, 2, 2}).reshape(2, 2, 1, 2);
        INDArray v = Nd4j.createFromArray(new float[] {1, 1, 0, 1, 2, 0, 1, 0}).reshape(2, 2, 1, 2);
        // channel 0: sum(u) = 1 + 3 + 5 + 7 = 16, sum(u v) = 1 + 3 + 10 + 0 = 14;
        // channel 1: sum(u) = 8, sum(u v) = 0 + 2 + 2 + 0 = 4
        double[][] sums = BatchNormPasses.sumAndDot(u, v);
        assertArrayEquals(new double[] {16, 8}, sums[0], 0.0);
        assertArrayEquals(new double[] {14, 4}, sums[1], 0.0);
        INDArray out = u.ulike();
        // channel 0: 2 u - 1; channel 1: -u + 0.5
        BatchNormPasses.affine(u, new double[] {2, -1}, new double[] {-1, 0.5}, out);
        assertArrayEquals(new float[] {1, 5, -1.5f, -1.5f, 9, 13, -1.5f, -1.5f}, out.data().asFloat(), 0f);
        // channel 0: u + 10 v + 0; channel 1: 0 u - v + 1
        BatchNormPasses.affine2(u, v, new double[] {1, 0}, new double[] {10, -1}, new double[] {0, 1}, out);
        assertArrayEquals(new float[] {11, 13, 1, 0, 25, 7, 0, 1}, out.data().asFloat(), 0f);
    }

    @Test
    void bothRoutesGiveTheSameValues() {
        INDArray x = gaussian(41, 3, 5, 3, 3).muli(2.0).addi(1.5);
        INDArray dy = gaussian(42, 3, 5, 3, 3);
        INDArray xCopy = x.dup();
        INDArray dyCopy = dy.dup();
        double[] a = {0.5, -1, 2, 0.25, 3};
        double[] b = {1, 0.5, -0.5, 2, -3};
        double[] k = {0.1, 0.2, -0.3, 0.4, 0};

        Supplier<double[][]> statistics = () -> BatchNormPasses.statistics(x);
        Supplier<double[][]> sums = () -> BatchNormPasses.sumAndDot(dy, x);
        Supplier<INDArray> affine = () -> {
            INDArray out = x.ulike();
            BatchNormPasses.affine(x, a, k, out);
            return out;
        };
        Supplier<INDArray> affine2 = () -> {
            INDArray out = x.ulike();
            BatchNormPasses.affine2(dy, x, a, b, k, out);
            return out;
        };
        assertTrue(ChannelKernels.applicable(x, dy), "kernel route");
        double[][] kernelStatistics = statistics.get();
        double[][] kernelSums = sums.get();
        INDArray kernelAffine = affine.get();
        INDArray kernelAffine2 = affine2.get();
        System.setProperty(HostAccess.PROPERTY, "generic");
        assertFalse(ChannelKernels.applicable(x), "libnd4j-op route");
        assertRows("statistics", statistics.get(), kernelStatistics);
        assertRows("sum and dot", sums.get(), kernelSums);
        assertClose("affine", affine.get(), kernelAffine, ROUTE_TOLERANCE);
        assertClose("affine2", affine2.get(), kernelAffine2, ROUTE_TOLERANCE);
        assertClose("x unchanged", xCopy, x, 0.0);
        assertClose("dy unchanged", dyCopy, dy, 0.0);
    }

    @Test
    void kernelsTakeOnlyContiguousNchwFloats() {
        assertTrue(ChannelKernels.applicable(Nd4j.create(DataType.FLOAT, 2, 3, 4, 5)));
        assertFalse(ChannelKernels.applicable(Nd4j.create(DataType.DOUBLE, 2, 3, 4, 5)), "double");
        assertFalse(ChannelKernels.applicable(Nd4j.create(DataType.FLOAT, 2, 3)), "dense");
        assertFalse(ChannelKernels.applicable(Nd4j.create(DataType.FLOAT, 2, 3, 4, 5).permute(0, 1, 3, 2)),
                "permuted");
        assertFalse(ChannelKernels.applicable(Nd4j.create(DataType.FLOAT, new long[] {2, 3, 4, 5}, 'f')), "'f' order");
    }

    private static void assertRows(String what, double[][] expected, double[][] actual) {
        for (int r = 0; r < expected.length; r++) {
            double scale = 1.0;
            for (double v : expected[r]) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertArrayEquals(expected[r], actual[r], ROUTE_TOLERANCE * scale, what + " row " + r);
        }
    }
}
