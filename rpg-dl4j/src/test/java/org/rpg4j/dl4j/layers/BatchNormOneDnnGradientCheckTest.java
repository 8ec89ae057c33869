package org.rpg4j.dl4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rpg4j.dl4j.layers.TestArrays.gaussian;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.rpg4j.dl4j.layers.onednn.OneDnn;

/**
 * A float32 finite-difference check of the gradients that {@link FastBatchNormalizationImpl}'s training passes on
 * oneDNN's primitives return (DL4J's gradient checks run in double, which takes the Java route, so they do not see the
 * primitives). Loss {@code L = sum(y * R)} over the training-mode output {@code y} (batch statistics) and a fixed
 * random tensor {@code R}, so {@code dL/dy = R}; central differences {@code (L(v + h) - L(v - h)) / (2h)} on a sample
 * of input coordinates and on every gamma and beta coordinate, against {@code backpropGradient(R)}.
 *
 * <p>Steps and tolerance. {@code L} is summed in double over float32 outputs; a step changes only its channel's
 * {@code m} outputs (the other channels' outputs are bit-identical in both evaluations and cancel), each carrying a
 * few float32 roundings ({@code u = 2^-24}: the output, the mean, the variance, the scale), so the noise in a
 * difference quotient is at most about {@code 4 u sum_channel |y R| / h}; with {@code m = 45}, {@code |y|, |R| ~ 1}
 * and {@code h = 0.02} that is about {@code 4e-4}. The truncation error of the central difference is
 * {@code O(h^2 f''')}: {@code L} is linear in gamma and beta (none at all), and in an input coordinate it bends only
 * through the batch mean and variance, by terms of relative size {@code (h / std)^2 / m}, below {@code 1e-5} here.
 * The check allows {@value #TOLERANCE} times the largest |analytic| value of the array (about 1.8 for the input,
 * 12-15 for gamma and beta here): for the input 1.8e-3, over 4 times the noise bound. Measured on these cases
 * (2026-12-02) the worst error was 4e-5 of that scale for the input and 1e-6 for gamma and beta, 25 times inside. A
 * beta gradient scaled by 2 is off by its whole value (the first coordinate by 0.35 of the scale); an input gradient
 * without the mean terms ({@code a * dy} alone instead of {@code a * (dy - mean(dy) - xhat mean(dy xhat))}) by
 * {@code a (mean(dy) + xhat mean(dy xhat))}, typically {@code a / sqrt(m)} ~ 0.15 but less where the two terms
 * cancel: with that break made in {@link FastBatchNormalizationImpl} the first sampled coordinate past the tolerance
 * was 4.5 times past it (a tolerance of 5e-3 would have let it pass: hence 1e-3). Both breaks fail the check
 * ({@link #theCheckRejectsAScaledBetaGradientAndAnInputGradientWithoutTheMeanTerms}), and made in the code (the beta
 * one in {@link org.rpg4j.dl4j.layers.onednn.OneDnnBatchNorm#backward}, the input one in
 * {@link FastBatchNormalizationImpl}) they failed {@link #oneDnnGradientsMatchCentralDifferencesInFloat32} in all four
 * cases.
 */
class BatchNormOneDnnGradientCheckTest {

    /** Allowed |finite difference - analytic|, relative to the largest |analytic| value of the array. */
    private static final double TOLERANCE = 1e-3;
    private static final double INPUT_STEP = 0.02;
    private static final double PARAMETER_STEP = 0.05;
    private static final int INPUT_SAMPLES = 30;

    @AfterEach
    void clearProperties() {
        System.clearProperty(FastBatchNormalizationImpl.ONEDNN_PROPERTY);
        System.clearProperty(FastBatchNormalizationImpl.LAYOUT_PROPERTY);
    }

    /** An input shape and the oneDNN layout. */
    record Case(long[] shape, String layout) {
        @Override
        public String toString() {
            return Arrays.toString(shape) + " " + layout;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(new Case(new long[] {3, 17, 3, 5}, "blocked"), new Case(new long[] {3, 17, 3, 5}, "plain"),
                new Case(new long[] {5, 16, 3, 3}, "blocked"), new Case(new long[] {5, 16, 3, 3}, "plain"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneDnnGradientsMatchCentralDifferencesInFloat32(Case c) {
        Check check = new Check(c);
        Pair<Gradient, INDArray> analytic = check.analytic();
        assertEquals(2, check.layer.oneDnnPasses(), c + ": forward and backward on oneDNN");
        INDArray dx = analytic.getSecond();
        INDArray dGamma = analytic.getFirst().getGradientFor(BatchNormalizationParamInitializer.GAMMA);
        INDArray dBeta = analytic.getFirst().getGradientFor(BatchNormalizationParamInitializer.BETA);
        assertNull(check.firstMismatch("input", check.x, check.inputSample, dx, INPUT_STEP), c + "");
        assertNull(check.firstMismatch("gamma", check.gamma(), all(check.gamma()), dGamma, PARAMETER_STEP), c + "");
        assertNull(check.firstMismatch("beta", check.beta(), all(check.beta()), dBeta, PARAMETER_STEP), c + "");
        assertTrue(check.layer.oneDnnPasses() > 2 + 2 * INPUT_SAMPLES, c + ": the loss evaluations ran on oneDNN");
    }

    @Test
    void theCheckRejectsAScaledBetaGradientAndAnInputGradientWithoutTheMeanTerms() {
        Check check = new Check(new Case(new long[] {3, 17, 3, 5}, "blocked"));
        Pair<Gradient, INDArray> analytic = check.analytic();
        INDArray dBeta = analytic.getFirst().getGradientFor(BatchNormalizationParamInitializer.BETA).dup();
        assertNull(check.firstMismatch("beta", check.beta(), all(check.beta()), dBeta, PARAMETER_STEP));
        assertNotNull(check.firstMismatch("beta", check.beta(), all(check.beta()), dBeta.mul(2), PARAMETER_STEP),
                "a beta gradient scaled by 2 fails the check");
        // a * dy per channel, a = gamma / sqrt(var + eps): the input gradient without -a mean(dy) - a xhat mean(dy xhat)
        INDArray x = check.x;
        INDArray variance = x.var(false, 0, 2, 3).addi(check.layer.layerConf().getEps());
        INDArray a = check.gamma().reshape(-1).div(Transforms.sqrt(variance, true));
        INDArray noMeanTerms = check.r.mul(a.reshape(1, -1, 1, 1));
        assertNotNull(check.firstMismatch("input", x, check.inputSample, noMeanTerms, INPUT_STEP),
                "an input gradient without the mean terms fails the check");
    }

    private static int[] all(INDArray values) {
        int[] indices = new int[(int) values.length()];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i;
        }
        return indices;
    }

    /** One layer on oneDNN, its input, the fixed tensor {@code R} and the sampled input coordinates. */
    private static final class Check {
        private final Case c;
        private final FastBatchNormalizationImpl layer;
        private final INDArray x;
        private final INDArray r;
        private final int[] inputSample;

        Check(Case c) {
            assertTrue(OneDnn.available(), "org.bytedeco:dnnl with its linux-x86_64 natives is a test dependency");
            this.c = c;
            System.setProperty(FastBatchNormalizationImpl.ONEDNN_PROPERTY, "onednn");
            System.setProperty(FastBatchNormalizationImpl.LAYOUT_PROPERTY, c.layout());
            long[] s = c.shape();
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                    .dataType(DataType.FLOAT).updater(new Sgd(0.1)).list()
                    .layer(new FastBatchNormalization.Builder().build())
                    .setInputType(InputType.convolutional(s[2], s[3], s[1])).build());
            net.init();
            net.initGradientsView();
            layer = (FastBatchNormalizationImpl) net.getLayer(0);
            gamma().assign(gaussian(51, 1, s[1]).muli(0.3).addi(1.0));
            beta().assign(gaussian(52, 1, s[1]).muli(0.5));
            x = gaussian(53, s).muli(2.0).addi(0.5);
            r = gaussian(54, s);
            Random random = new Random(55);
            inputSample = random.ints(0, (int) x.length()).distinct().limit(INPUT_SAMPLES).toArray();
        }

        INDArray gamma() {
            return layer.getParam(BatchNormalizationParamInitializer.GAMMA);
        }

        INDArray beta() {
            return layer.getParam(BatchNormalizationParamInitializer.BETA);
        }

        Pair<Gradient, INDArray> analytic() {
            layer.activate(x, true, LayerWorkspaceMgr.noWorkspaces());
            Pair<Gradient, INDArray> g = layer.backpropGradient(r.dup(), LayerWorkspaceMgr.noWorkspaces());
            return new Pair<>(g.getFirst(), g.getSecond().dup());
        }

        /** @return {@code sum(y * R)} in double over the training-mode output */
        double loss() {
            INDArray y = layer.activate(x, true, LayerWorkspaceMgr.noWorkspaces());
            float[] out = y.dup('c').data().asFloat();
            float[] weights = r.data().asFloat();
            double sum = 0;
            for (int i = 0; i < out.length; i++) {
                sum += (double) out[i] * weights[i];
            }
            return sum;
        }

        /**
         * @return null if every sampled coordinate's central difference is within the tolerance of the analytic
         *     gradient, else a description of the first that is not
         */
        String firstMismatch(String what, INDArray values, int[] indices, INDArray analytic, double step) {
            double[] expected = analytic.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            double scale = 0;
            for (double v : expected) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i : indices) {
                float original = values.getFloat(i);
                float plus = (float) (original + step);
                float minus = (float) (original - step);
                values.putScalar(i, plus);
                double up = loss();
                values.putScalar(i, minus);
                double down = loss();
                values.putScalar(i, original);
                double difference = (up - down) / ((double) plus - minus);
                if (!(Math.abs(difference - expected[i]) <= TOLERANCE * scale)) {
                    return c + " " + what + " " + i + ": central difference " + difference + ", analytic "
                            + expected[i] + " (tolerance " + TOLERANCE * scale + ")";
                }
            }
            return null;
        }
    }
}
