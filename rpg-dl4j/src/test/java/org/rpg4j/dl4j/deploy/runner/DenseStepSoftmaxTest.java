package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The output layer's softmax on the Java result of the sparse kernel, against DL4J's softmax activation. */
class DenseStepSoftmaxTest {

    /**
     * Rows of ordinary, large (+-1000, which overflow {@code exp} without the row maximum subtracted), equal and
     * single-column logits: within 1e-6 of DL4J's softmax, every row summing to 1, no NaN.
     */
    @Test
    void softmaxRowsMatchesDl4jAlsoForLargeLogits() {
        int columns = 10;
        INDArray logits = Nd4j.randn(DataType.FLOAT, 6, columns).muli(5);
        logits.getRow(1).muli(300);
        logits.getRow(2).assign(-1000).putScalar(3, 1000);
        logits.getRow(3).assign(7);
        float[] values = logits.dup('c').data().asFloat();
        DenseStep.softmaxRows(values, columns);
        INDArray expected = new ActivationSoftmax().getActivation(logits.dup(), false);
        INDArray actual = Nd4j.create(values, new long[] {6, columns}, 'c');
        assertTrue(actual.sub(expected).amaxNumber().doubleValue() < 1e-6, actual + " vs " + expected);
        for (int row = 0; row < 6; row++) {
            assertEquals(1.0, actual.getRow(row).sumNumber().doubleValue(), 1e-5);
        }
        assertEquals(1.0f, actual.getFloat(2, 3));
        assertEquals(0.1f, actual.getFloat(3, 0), 1e-7f);
        float[] single = {-3.0f, 42.0f};
        DenseStep.softmaxRows(single, 1);
        assertEquals(1.0f, single[0]);
        assertEquals(1.0f, single[1]);
    }
}
