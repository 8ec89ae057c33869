package org.rpg4j.sparse.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SparseConvolutionTest {

    /** float32 accumulation in another order than the double reference. */
    private static final double TOLERANCE = 1e-5;
    /** Sums of up to 12 x 5 x 5 = 300 N(0, 1) products in float32 (measured worst 1.1e-5 relative). */
    private static final double LONG_SUM_TOLERANCE = 5e-5;
    private static final double[] SPARSITIES = {0.0, 0.5, 0.8, 0.95, 0.99, 1.0};

    @Test
    void handComputedStrideOneWithPadding() {
        // 1 channel 2x2 input [[1, 2], [3, 4]], 3x3 kernel with w(0,0)=1 and w(1,1)=10, pad 1:
        // out(y, x) = in(y-1, x-1) + 10 in(y, x) + bias 0.5:
        // out(0,0) = 0 + 10 + 0.5; out(0,1) = 0 + 20 + 0.5; out(1,0) = 0 + 30 + 0.5; out(1,1) = 1 + 40 + 0.5.
        ConvolutionShape s = new ConvolutionShape(1, 2, 2, 1, 3, 3, 1, 1, 1, 1, 2, 2);
        float[] w = {1, 0, 0, 0, 10, 0, 0, 0, 0};
        float[] out = new float[4];
        SparseConvolution.of(s, w, new float[] {0.5f}, FusedActivation.IDENTITY, KernelThreading.CALLER_ONLY)
                .forward(new float[] {1, 2, 3, 4}, 1, out);
        assertArrayEquals(new float[] {10.5f, 20.5f, 30.5f, 41.5f}, out);
    }

    @Test
    void matchesDenseReferenceOnRandomShapesAndSparsities() {
        Random random = new Random(11);
        for (int trial = 0; trial < 60; trial++) {
            ConvolutionShape s = randomShape(random);
            for (double sparsity : SPARSITIES) {
                float[] w = DenseReference.sparseWeights(random, s.outChannels(), s.patchSize(), sparsity);
                float[] bias = random.nextBoolean() ? DenseReference.gaussian(random, s.outChannels()) : null;
                int batch = 1 + random.nextInt(3);
                float[] input = DenseReference.gaussian(random, batch * s.inputSize());
                float[] inputCopy = input.clone();
                boolean relu = random.nextBoolean();
                KernelThreading threading = KernelThreading.values()[random.nextInt(2)];
                float[] expected = DenseReference.convolution(s, w, bias, input, batch, relu);
                for (KernelInstructions instructions : KernelInstructions.values()) {
                    float[] out = new float[batch * s.outputSize()];
                    Arrays.fill(out, Float.NaN);
                    SparseConvolution.of(s, w, bias, relu ? FusedActivation.RELU : FusedActivation.IDENTITY, threading,
                            instructions).forward(input, batch, out);
                    double error = DenseReference.maxError(out, expected);
                    assertTrue(error < TOLERANCE, instructions + " " + s + " sparsity " + sparsity + " batch " + batch
                            + ": error " + error);
                    assertArrayEquals(inputCopy, input, "input modified");
                }
            }
        }
    }

    @Test
    void paddedLayoutsAndResidualsMatchTheDenseReference() {
        // Stride 1 (sometimes 2), kernel 1-5 by 1-5, padding 0..k-1, sizes up to 20 (runs of several
        // 4-vector blocks), 1-12 channels, at 0 % (100 % dense) to 100 % sparsity (empty layer, no padded
        // path), with and without a residual term added before the activation.
        Random random = new Random(21);
        int paddedIn = 0;
        int paddedOut = 0;
        int residuals = 0;
        for (int trial = 0; trial < 40; trial++) {
            ConvolutionShape s = DenseReference.randomLayerShape(random, 12);
            for (double sparsity : SPARSITIES) {
                float[] w = DenseReference.sparseWeights(random, s.outChannels(), s.patchSize(), sparsity);
                float[] bias = DenseReference.gaussian(random, s.outChannels());
                int batch = 1 + random.nextInt(2);
                float[] input = DenseReference.gaussian(random, batch * s.inputSize());
                boolean relu = random.nextBoolean();
                float[] residual = random.nextBoolean() ? DenseReference.gaussian(random, batch * s.outputSize())
                        : null;
                float[] expected = DenseReference.convolution(s, w, bias, input, batch, false);
                for (int i = 0; i < expected.length; i++) {
                    float sum = expected[i] + (residual == null ? 0f : residual[i]);
                    expected[i] = relu ? Math.max(0f, sum) : sum;
                }
                PlaneLayout target = randomTarget(random, s);
                for (KernelInstructions instructions : KernelInstructions.values()) {
                    SparseConvolution conv = SparseConvolution.of(s, w, bias, relu ? FusedActivation.RELU
                            : FusedActivation.IDENTITY, KernelThreading.values()[random.nextInt(2)], instructions);
                    if (sparsity == 1.0) {
                        assertNull(conv.inputLayout(), "an empty layer reads plain input");
                        assertFalse(conv.writesLayout(target), "an empty layer writes plain output");
                    }
                    PlaneLayout in = conv.inputLayout();
                    float[] source = in == null ? input : in.pad(input, s.inChannels());
                    PlaneLayout out = conv.writesLayout(target) ? target : null;
                    float[] output = new float[batch * (out == null ? s.outputSize()
                            : s.outChannels() * out.planeSize())];
                    Arrays.fill(output, Float.NaN);
                    float[] term = residual == null || out == null ? residual : out.pad(residual, s.outChannels());
                    conv.forward(source, in, batch, output, out, term);
                    float[] plain = out == null ? output : out.unpad(output, s.outChannels());
                    double error = DenseReference.maxError(plain, expected);
                    String what = instructions + " " + s + " sparsity " + sparsity + " in " + in + " out " + out
                            + " residual " + (residual != null);
                    assertTrue(error < LONG_SUM_TOLERANCE, what + ": error " + error);
                    if (out != null) {
                        // every position outside the image is written, and zero
                        assertArrayEquals(out.pad(plain, s.outChannels()), output, what);
                        paddedOut++;
                    }
                    paddedIn += in != null ? 1 : 0;
                    residuals += residual != null ? 1 : 0;
                }
            }
        }
        assertTrue(paddedIn >= 100 && paddedOut >= 50 && residuals >= 100, "padded input " + paddedIn + ", output "
                + paddedOut + ", residual " + residuals);
    }

    @Test
    void layoutsAreCheckedAgainstTheConvolution() {
        ConvolutionShape s = new ConvolutionShape(2, 6, 6, 3, 3, 3, 1, 1, 1, 1, 6, 6);
        float[] w = DenseReference.sparseWeights(new Random(3), 3, 18, 0.0);
        SparseConvolution conv = SparseConvolution.of(s, w, null, FusedActivation.IDENTITY,
                KernelThreading.CALLER_ONLY);
        // pad 1, row width 6 + 3 - 1 = 8, rows 6 + 3 = 9
        assertEquals(new PlaneLayout(6, 6, 1, 1, 8, 9), conv.inputLayout());
        assertTrue(conv.writesLayout(new PlaneLayout(6, 6, 1, 1, 8, 9)));
        assertFalse(conv.writesLayout(new PlaneLayout(6, 6, 1, 1, 9, 9)), "row width differs");
        assertFalse(conv.writesLayout(new PlaneLayout(6, 6, 2, 1, 8, 8)), "last run would leave the plane");
        assertFalse(conv.writesLayout(null));
        PlaneLayout wrong = new PlaneLayout(6, 6, 2, 1, 8, 9);
        assertMessage("inputLayout must be null or one readsLayout accepts", () -> conv.forward(new float[2 * 72],
                wrong, 1,
                new float[108], null));
        PlaneLayout wider = new PlaneLayout(6, 6, 1, 1, 9, 9);
        assertMessage("cannot be written", () -> conv.forward(new float[72], null, 1, new float[3 * 81], wider));
        assertMessage("rowWidth must be >= padLeft + width = 7", () -> new PlaneLayout(6, 6, 0, 1, 6, 6));
    }

    @Test
    void vectorApiIsAvailableInTheTestJvm() {
        // The module's surefire argLine adds jdk.incubator.vector, so both kernels are tested here.
        assertTrue(KernelInstructions.VECTOR_API.available());
        assertEquals(KernelInstructions.VECTOR_API, KernelInstructions.best());
    }

    @Test
    void largeBatchRunsInParallelAndMatches() {
        // Enough work (> 200k multiply-adds) for the common pool, over images and over channel blocks.
        Random random = new Random(5);
        ConvolutionShape s = new ConvolutionShape(16, 16, 16, 32, 3, 3, 1, 1, 1, 1, 16, 16);
        float[] w = DenseReference.sparseWeights(random, 32, s.patchSize(), 0.7);
        for (int batch : new int[] {1, 8}) {
            float[] input = DenseReference.gaussian(random, batch * s.inputSize());
            float[] expected = DenseReference.convolution(s, w, null, input, batch, false);
            for (KernelInstructions instructions : KernelInstructions.values()) {
                float[] out = new float[batch * s.outputSize()];
                SparseConvolution.of(s, w, null, FusedActivation.IDENTITY, KernelThreading.COMMON_POOL, instructions)
                        .forward(input, batch, out);
                assertTrue(DenseReference.maxError(out, expected) < TOLERANCE, instructions.toString());
            }
        }
    }

    @Test
    void reusedScratchBuffersGiveTheSameResultsOnLaterCalls() {
        // One instance, called repeatedly with new inputs and batch sizes on one thread and on the pool:
        // the reused padded/patch buffers must not leak values of an earlier image into a later one.
        Random random = new Random(6);
        for (int trial = 0; trial < 12; trial++) {
            ConvolutionShape s = randomShape(random);
            float[] w = DenseReference.sparseWeights(random, s.outChannels(), s.patchSize(), 0.6);
            KernelThreading threading = KernelThreading.values()[trial % 2];
            SparseConvolution conv = SparseConvolution.of(s, w, null, FusedActivation.IDENTITY, threading);
            for (int call = 0; call < 4; call++) {
                int batch = 1 + random.nextInt(4);
                float[] input = DenseReference.gaussian(random, batch * s.inputSize());
                float[] out = new float[batch * s.outputSize()];
                conv.forward(input, batch, out);
                double error = DenseReference.maxError(out, DenseReference.convolution(s, w, null, input, batch,
                        false));
                assertTrue(error < TOLERANCE, s + " call " + call + " batch " + batch + ": error " + error);
            }
        }
    }

    @Test
    void layersWithAFewNonZerosTakeTheDirectPathAndMatch() {
        // At most inputSize / (outHeight * outWidth) non-zeros: computed from the input without a padded
        // copy. Strides 1-2, padding 0-2, kernels 1-5 (1x1 with padding too), odd sizes.
        Random random = new Random(8);
        int direct = 0;
        for (int trial = 0; trial < 40; trial++) {
            ConvolutionShape s = randomShape(random);
            int budget = s.inputSize() / (s.outHeight() * s.outWidth());
            float[] w = new float[s.outChannels() * s.patchSize()];
            for (int k = 0; k < Math.min(budget, 1 + random.nextInt(4)); k++) {
                w[random.nextInt(w.length)] = (float) random.nextGaussian();
            }
            float[] bias = DenseReference.gaussian(random, s.outChannels());
            int batch = 1 + random.nextInt(3);
            float[] input = DenseReference.gaussian(random, batch * s.inputSize());
            float[] out = new float[batch * s.outputSize()];
            SparseConvolution conv = SparseConvolution.of(s, w, bias, FusedActivation.RELU,
                    KernelThreading.values()[trial % 2]);
            conv.forward(input, batch, out);
            direct += conv.toString().contains("shifted taps") ? 1 : 0;
            double error = DenseReference.maxError(out, DenseReference.convolution(s, w, bias, input, batch, true));
            assertTrue(error < TOLERANCE, s + " " + conv + ": error " + error);
        }
        assertTrue(direct >= 20, "direct path taken in only " + direct + " of 40 layers");
    }

    @Test
    void emptyLayerGivesActivatedBias() {
        ConvolutionShape s = new ConvolutionShape(3, 5, 5, 2, 3, 3, 2, 2, 1, 1, 3, 3);
        float[] out = new float[2 * s.outputSize()];
        SparseConvolution.of(s, new float[2 * 27], new float[] {-1, 2}, FusedActivation.RELU,
                KernelThreading.CALLER_ONLY).forward(new float[2 * s.inputSize()], 2, out);
        for (int i = 0; i < out.length; i++) {
            // relu(-1) = 0 for channel 0, relu(2) = 2 for channel 1; exactly.
            assertEquals(i / 9 % 2 == 0 ? 0f : 2f, out[i], 0f, "index " + i);
        }
    }

    @Test
    void badInputIsRejectedWithTheParameterName() {
        ConvolutionShape s = new ConvolutionShape(2, 4, 4, 3, 3, 3, 1, 1, 1, 1, 4, 4);
        SparseConvolution conv = SparseConvolution.of(s, new float[3 * 18], null, FusedActivation.IDENTITY,
                KernelThreading.CALLER_ONLY);
        assertMessage("batch must be >= 1, got 0", () -> conv.forward(new float[32], 0, new float[48]));
        assertMessage("input must have length batch * inChannels * inHeight * inWidth = 32, got 31",
                () -> conv.forward(new float[31], 1, new float[48]));
        assertMessage("output must have length batch * outChannels * outHeight * outWidth = 48, got 47",
                () -> conv.forward(new float[32], 1, new float[47]));
        assertMessage("dense must have length rows * cols = 54, got 53", () -> SparseConvolution.of(s,
                new float[53], null, FusedActivation.IDENTITY, KernelThreading.CALLER_ONLY));
        assertMessage("bias must have length outChannels = 3, got 2", () -> SparseConvolution.of(s,
                new float[54], new float[2], FusedActivation.IDENTITY, KernelThreading.CALLER_ONLY));
        assertMessage("strideHeight must be >= 1, got 0", () -> new ConvolutionShape(2, 4, 4, 3, 3, 3, 0, 1, 1, 1,
                4, 4));
        assertMessage("output 9x4 is too large", () -> new ConvolutionShape(2, 4, 4, 3, 3, 3, 1, 1, 1, 1, 9, 4));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /**
     * A layout with the row width of the convolution's padded-width rows and random borders; often one
     * it can write (padLeft + width fits, enough rows after), sometimes not.
     */
    private static PlaneLayout randomTarget(Random random, ConvolutionShape s) {
        int wp = s.outWidth() + s.kernelWidth() - 1;
        int padLeft = random.nextInt(wp - s.outWidth() + 1);
        int padTop = random.nextInt(3);
        int rows = padTop + s.outHeight() + random.nextInt(3);
        return new PlaneLayout(s.outHeight(), s.outWidth(), padTop, padLeft, wp, rows);
    }

    /** Kernel 1..5, stride 1..2, padding 0..k-1, sizes 1..9; output size as DL4J's truncate mode gives. */
    private static ConvolutionShape randomShape(Random random) {
        int kh = 1 + random.nextInt(random.nextBoolean() ? 1 : 5);
        int kw = random.nextBoolean() ? kh : 1 + random.nextInt(3);
        int sh = 1 + random.nextInt(2);
        int sw = 1 + random.nextInt(2);
        int ph = random.nextInt(kh);
        int pw = random.nextInt(kw);
        int h = kh + random.nextInt(8);
        int w = kw + random.nextInt(8);
        int outH = (h + 2 * ph - kh) / sh + 1;
        int outW = (w + 2 * pw - kw) / sw + 1;
        return new ConvolutionShape(1 + random.nextInt(6), h, w, 1 + random.nextInt(7), kh, kw, sh, sw, ph, pw,
                outH, outW);
    }
}
