package org.rpg4j.dl4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/** The distillation loss and its gradient against hand-computed and finite-difference values. */
class DistillationLossTest {
    private static final double HAND_TOLERANCE = 1e-12;
    private static final double FD_TOLERANCE = 1e-7;
    private static final double FD_STEP = 1e-5;
    private static final IActivation SOFTMAX = new ActivationSoftmax();

    /*
     * T = 2, hardness = 0.5, C = 3.
     * Example 1: z_s = [0, 0, 0], z_t = [2 ln 2, 0, 0], y = [1, 0, 0].
     *   softmax(z_s) = q_s = [1/3, 1/3, 1/3]; z_t / T = [ln 2, 0, 0], q_t = [2, 1, 1] / 4 = [1/2, 1/4, 1/4].
     *   CE = -ln(1/3) = ln 3 = 1.0986122886681098
     *   KL = 1/2 ln(3/2) + 2 * 1/4 ln(3/4) = 1/2 ln(9/8) = 0.05889151782819173
     *   loss = 0.5 * ln 3 + 0.5 * 4 * KL = 0.6670891799904384
     *   grad = 0.5 * (q_s - y) + 0.5 * 2 * (q_s - q_t) = [-1/3, 1/6, 1/6] + [-1/6, 1/12, 1/12] = [-1/2, 1/4, 1/4]
     * Example 2: z_s = [0, 2 ln 2, 0], z_t = [0, 0, 0], y = [0, 0, 1].
     *   softmax(z_s) = [1, 4, 1] / 6; z_s / T = [0, ln 2, 0], q_s = [1/4, 1/2, 1/4]; q_t = [1/3, 1/3, 1/3].
     *   CE = -ln(1/6) = ln 6 = 1.791759469228055
     *   KL = 1/3 (2 ln(4/3) + ln(2/3)) = 1/3 ln(32/27) = 0.056633012265132475
     *   loss = 0.5 * ln 6 + 0.5 * 4 * KL = 1.0091457591442925
     *   grad = 0.5 * ([1/6, 4/6, 1/6] - [0, 0, 1]) + 0.5 * 2 * ([1/4, 1/2, 1/4] - 1/3)
     *        = [1/12, 1/3, -5/12] + [-1/12, 1/6, -1/12] = [0, 1/2, -1/2]
     * Sum 1.6762349391347309, mean 0.8381174695673654.
     */
    @Test
    void handComputedTwoByThree() {
        double ln2 = Math.log(2);
        INDArray z = Nd4j.createFromArray(new double[][] {{0, 0, 0}, {0, 2 * ln2, 0}});
        INDArray labels = Nd4j.createFromArray(new double[][] {{1, 0, 0, 2 * ln2, 0, 0}, {0, 0, 1, 0, 0, 0}});
        DistillationLoss loss = new DistillationLoss(2.0, 0.5);
        INDArray zBefore = z.dup();
        INDArray labelsBefore = labels.dup();

        assertArrayEquals(new double[] {0.6670891799904384, 1.0091457591442925},
                loss.computeScoreArray(labels, z, SOFTMAX, null).data().asDouble(), HAND_TOLERANCE);
        assertEquals(1.6762349391347309, loss.computeScore(labels, z, SOFTMAX, null, false), HAND_TOLERANCE);
        assertEquals(0.8381174695673654, loss.computeScore(labels, z, SOFTMAX, null, true), HAND_TOLERANCE);
        INDArray g = loss.computeGradient(labels, z, SOFTMAX, null);
        assertArrayEquals(new double[] {-0.5, 0.25, 0.25}, g.getRow(0).toDoubleVector(), HAND_TOLERANCE);
        assertArrayEquals(new double[] {0, 0.5, -0.5}, g.getRow(1).toDoubleVector(), HAND_TOLERANCE);
        assertEquals(zBefore, z, "preOutput must not be modified");
        assertEquals(labelsBefore, labels, "labels must not be modified");
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Random random = new Random(18);
        double[][] settings = {{1, 0.5}, {4, 0.5}, {4, 0}, {2.5, 0.9}, {0.5, 0.2}, {8, 1}};
        for (double[] setting : settings) {
            DistillationLoss loss = new DistillationLoss(setting[0], setting[1]);
            for (int trial = 0; trial < 3; trial++) {
                int rows = 2 + trial;
                int classes = 3 + trial;
                INDArray z = gaussian(random, rows, classes, 3.0);
                INDArray labels = Nd4j.hstack(softLabels(random, rows, classes, trial == 0),
                        gaussian(random, rows, classes, 5.0));
                IActivation activation = trial == 2 ? new ActivationIdentity() : SOFTMAX;
                INDArray analytic = loss.computeGradient(labels, z, activation, null);
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < classes; j++) {
                        double numeric = centralDifference(loss, labels, z, activation, i, j);
                        assertEquals(numeric, analytic.getDouble(i, j), FD_TOLERANCE,
                                "T " + setting[0] + " hardness " + setting[1] + " trial " + trial + " at " + i + ","
                                        + j);
                    }
                }
            }
        }
    }

    @Test
    void hardnessOneIsPlainCrossEntropy() {
        Random random = new Random(5);
        INDArray z = gaussian(random, 4, 5, 2.0);
        INDArray hard = softLabels(random, 4, 5, true);
        INDArray labels = Nd4j.hstack(hard, gaussian(random, 4, 5, 4.0));
        DistillationLoss loss = new DistillationLoss(3.0, 1.0);
        LossMCXENT ce = new LossMCXENT();
        assertEquals(ce.computeScore(hard, z, SOFTMAX, null, true), loss.computeScore(labels, z, SOFTMAX, null, true),
                1e-9);
        assertArrayEquals(ce.computeScoreArray(hard, z, SOFTMAX, null).data().asDouble(),
                loss.computeScoreArray(labels, z, SOFTMAX, null).data().asDouble(), 1e-9);
        assertArrayEquals(ce.computeGradient(hard, z, SOFTMAX, null).data().asDouble(),
                loss.computeGradient(labels, z, SOFTMAX, null).data().asDouble(), 1e-12);
    }

    @Test
    void identicalTeacherAndStudentLeaveOnlyTheHardTerm() {
        Random random = new Random(9);
        INDArray z = gaussian(random, 3, 4, 2.0);
        INDArray hard = softLabels(random, 3, 4, true);
        DistillationLoss loss = new DistillationLoss(4.0, 0.25);
        double ce = new LossMCXENT().computeScore(hard, z, SOFTMAX, null, false);
        // KL(q || q) = 0: only 0.25 * CE remains
        assertEquals(0.25 * ce, loss.computeScore(Nd4j.hstack(hard, z), z, SOFTMAX, null, false), 1e-12);
    }

    @Test
    void perExampleMaskZeroesExamples() {
        Random random = new Random(3);
        INDArray z = gaussian(random, 3, 4, 2.0);
        INDArray labels = Nd4j.hstack(softLabels(random, 3, 4, true), gaussian(random, 3, 4, 2.0));
        INDArray mask = Nd4j.createFromArray(new double[][] {{1}, {0}, {1}});
        DistillationLoss loss = new DistillationLoss(2.0, 0.5);
        INDArray unmasked = loss.computeScoreArray(labels, z, SOFTMAX, null);
        INDArray masked = loss.computeScoreArray(labels, z, SOFTMAX, mask);
        assertEquals(0.0, masked.getDouble(1, 0));
        assertEquals(unmasked.getDouble(0, 0), masked.getDouble(0, 0));
        // zero up to sign (a negative gradient times 0 is -0.0)
        assertArrayEquals(new double[] {0, 0, 0, 0},
                loss.computeGradient(labels, z, SOFTMAX, mask).getRow(1).toDoubleVector(), 0.0);
    }

    @Test
    void badInputsAreRejectedWithTheirNames() {
        assertMessage(() -> new DistillationConfig(0, 0.5), "temperature must be finite and > 0, got 0.0");
        assertMessage(() -> new DistillationConfig(-1, 0.5), "temperature");
        assertMessage(() -> new DistillationConfig(Double.NaN, 0.5), "temperature");
        assertMessage(() -> new DistillationConfig(Double.POSITIVE_INFINITY, 0.5), "temperature");
        assertMessage(() -> new DistillationConfig(2, 1.5), "hardness must be in [0, 1], got 1.5");
        assertMessage(() -> new DistillationConfig(2, -0.1), "hardness");
        assertMessage(() -> new DistillationConfig(2, Double.NaN), "hardness");
        DistillationLoss loss = new DistillationLoss(DistillationConfig.defaults());
        INDArray z = Nd4j.zeros(DataType.DOUBLE, 2, 3);
        assertMessage(() -> loss.computeScore(Nd4j.zeros(DataType.DOUBLE, 2, 3), z, SOFTMAX, null, true),
                "[minibatch, 2 * nOut]");
        assertMessage(() -> loss.computeGradient(Nd4j.zeros(DataType.DOUBLE, 2, 6), z, new ActivationTanH(), null),
                "softmax or identity");
        assertMessage(() -> loss.computeGradient(Nd4j.zeros(DataType.DOUBLE, 2, 6), z, SOFTMAX, Nd4j.ones(2, 3)),
                "per-example masks");
    }

    @Test
    void survivesTheNetworkConfigurationJson() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new OutputLayer.Builder(new DistillationLoss(3.5, 0.25)).nIn(4).nOut(3).activation(
                        new ActivationSoftmax()).build())
                .build();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        Object lossBack = ((OutputLayer) back.getConf(0).getLayer()).getLossFn();
        assertEquals(new DistillationLoss(3.5, 0.25), lossBack);
        assertTrue(conf.toJson().contains("DistillationLoss"));
    }

    private static double centralDifference(DistillationLoss loss, INDArray labels, INDArray z, IActivation activation,
                                            int i, int j) {
        INDArray plus = z.dup();
        plus.putScalar(i, j, z.getDouble(i, j) + FD_STEP);
        INDArray minus = z.dup();
        minus.putScalar(i, j, z.getDouble(i, j) - FD_STEP);
        return (loss.computeScore(labels, plus, activation, null, false)
                - loss.computeScore(labels, minus, activation, null, false)) / (2 * FD_STEP);
    }

    private static INDArray gaussian(Random random, int rows, int cols, double scale) {
        double[][] v = new double[rows][cols];
        for (double[] row : v) {
            for (int j = 0; j < cols; j++) {
                row[j] = scale * random.nextGaussian();
            }
        }
        return Nd4j.createFromArray(v);
    }

    /** One-hot rows, or rows of positive weights summing to one (as label smoothing makes). */
    private static INDArray softLabels(Random random, int rows, int cols, boolean oneHot) {
        double[][] v = new double[rows][cols];
        for (double[] row : v) {
            if (oneHot) {
                row[random.nextInt(cols)] = 1;
                continue;
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                row[j] = random.nextDouble();
                sum += row[j];
            }
            for (int j = 0; j < cols; j++) {
                row[j] /= sum;
            }
        }
        return Nd4j.createFromArray(v);
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should contain '" + part + "'");
    }
}
