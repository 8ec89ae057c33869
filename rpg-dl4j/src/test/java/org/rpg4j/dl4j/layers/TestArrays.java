package org.rpg4j.dl4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded test data and explicit-tolerance comparisons (no {@code INDArray.equals}). */
final class TestArrays {

    /**
     * Float32 agreement between two implementations of the same layer: different summation orders
     * (oneDNN kernels against DL4J's im2col + gemm) give relative differences of a few 1e-7 per
     * operation; 1e-4 leaves room for reductions over a few hundred terms.
     */
    static final double FLOAT_TOLERANCE = 1e-4;

    private TestArrays() {
    }

    /**
     * @param seed RNG seed
     * @param shape array shape
     * @return float N(0, 1) values, the same for the same seed and shape
     */
    static INDArray gaussian(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, shape);
    }

    /**
     * Asserts {@code |actual - expected| <= tolerance * max(1, max|expected|)} elementwise.
     *
     * @param what what is compared, for the failure message
     * @param expected reference values
     * @param actual values to check, same shape
     * @param tolerance relative tolerance
     */
    static void assertClose(String what, INDArray expected, INDArray actual, double tolerance) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.castTo(DataType.DOUBLE).dup('c').reshape(expected.length()).toDoubleVector();
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').reshape(actual.length()).toDoubleVector();
        double scale = 1.0;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= tolerance * scale)) {
                fail(what + ": element " + i + " is " + a[i] + ", expected " + e[i] + " (tolerance "
                        + tolerance * scale + ")");
            }
        }
    }

    /**
     * @param layer an initialised layer; its cached state is cleared afterwards
     * @param x its input; not modified
     * @return a copy of the layer's inference-mode output for {@code x}, without workspaces
     */
    static INDArray inference(Layer layer, INDArray x) {
        INDArray out = layer.activate(x, false, LayerWorkspaceMgr.noWorkspaces()).dup();
        layer.clear();
        return out;
    }

    /**
     * @param a an array
     * @param b an array of the same shape
     * @return the largest absolute element-wise difference
     */
    static double maxDifference(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }
}
