package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** When a dense step flattens its convolutional input itself instead of calling DL4J's preprocessor. */
class DenseStepFlattenTest {

    @Test
    void onlyAnNchwFlatteningOfExactlyTheInputsShapeIsDoneInPlace() {
        DenseStep nchw = step(new CnnToFeedForwardPreProcessor(2, 2, 3, CNN2DFormat.NCHW));
        assertTrue(nchw.flattensInPlace(new long[] {1, 3, 2, 2}));
        assertTrue(nchw.flattensInPlace(new long[] {5, 3, 2, 2}));
        assertFalse(nchw.flattensInPlace(new long[] {1, 3, 4, 1}), "same size, other shape: DL4J's preprocessor");
        assertFalse(nchw.flattensInPlace(new long[] {1, 12}), "already flat");
        DenseStep nhwc = step(new CnnToFeedForwardPreProcessor(2, 2, 3, CNN2DFormat.NHWC));
        assertFalse(nhwc.flattensInPlace(new long[] {1, 2, 2, 3}), "NHWC flattens in another order");
        assertFalse(step(null).flattensInPlace(new long[] {1, 3, 2, 2}), "no preprocessor");
    }

    private static DenseStep step(CnnToFeedForwardPreProcessor preProcessor) {
        return new DenseStep("d", preProcessor, Nd4j.rand(DataType.FLOAT, 12, 4), Nd4j.zeros(DataType.FLOAT, 1, 4),
                Activation.IDENTITY.getActivationFunction(), RunnerOptions.defaults());
    }
}
