package org.rpg4j.dl4j.deploy.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Data, training, weight zeroing and exact comparisons for the round-trip tests. */
final class Networks {
    private Networks() {}

    /** @return seeded features {@code [batch, example...]} ~ U(-0.5, 0.5) and one-hot labels over 3 classes */
    static DataSet data(long[] example, int batch, long seed) {
        Nd4j.getRandom().setSeed(seed);
        long[] shape = new long[example.length + 1];
        shape[0] = batch;
        System.arraycopy(example, 0, shape, 1, example.length);
        INDArray x = Nd4j.rand(DataType.FLOAT, shape).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, LayerZoo.CLASSES);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, (i * 5 + seed) % LayerZoo.CLASSES, 1.0);
        }
        return new DataSet(x, y);
    }

    static void fit(Model net, DataSet data, int steps) {
        for (int i = 0; i < steps; i++) {
            if (net instanceof MultiLayerNetwork m) {
                m.fit(data);
            } else {
                ((ComputationGraph) net).fit(data);
            }
        }
    }

    /** Zeroes about {@code fraction} of every weight parameter ({@code W}, {@code pW}) in place, seeded. */
    static void zeroWeights(Model net, double fraction, long seed) {
        Nd4j.getRandom().setSeed(seed);
        for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
            if (e.getKey().endsWith("_W") || e.getKey().endsWith("_pW")) {
                INDArray w = e.getValue();
                INDArray keep = Nd4j.rand(DataType.FLOAT, w.shape()).gt(fraction).castTo(DataType.FLOAT);
                w.muli(keep); // leaves -0.0 where a negative weight is zeroed, as masking does
            }
        }
    }

    /** @return the (first) output for {@code input}, inference mode, as a flat float array */
    static float[] output(Model net, INDArray input) {
        INDArray out = net instanceof MultiLayerNetwork m ? m.output(input, false)
                : ((ComputationGraph) net).output(false, input)[0];
        return out.dup('c').data().asFloat();
    }

    static void assertBitIdentical(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": output length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + ": output " + i + " is " + actual[i] + ", expected exactly " + expected[i]);
            }
        }
    }

    /** Fails if every example got the same output (the comparison would then not test the weights). */
    static void assertInputDependent(float[] outputs, int batch, String what) {
        int width = outputs.length / batch;
        for (int i = 1; i < batch; i++) {
            for (int j = 0; j < width; j++) {
                if (outputs[i * width + j] != outputs[j]) {
                    return;
                }
            }
        }
        fail(what + ": all " + batch + " examples give the same output");
    }

    /** Equal parameters: the same value at every entry (a -0.0 may come back as +0.0, see TensorEncoder). */
    static void assertSameParameters(Model expected, Model actual) {
        float[] a = expected.params().toFloatVector();
        float[] b = actual.params().toFloatVector();
        assertEquals(a.length, b.length, "parameter count");
        for (int i = 0; i < a.length; i++) {
            if (!(a[i] == b[i] || (Float.isNaN(a[i]) && Float.isNaN(b[i])))) {
                fail("parameter " + i + " is " + b[i] + ", expected " + a[i]);
            }
        }
    }
}
