package org.rpg4j.sparse.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Strided convolutions through {@link ConvolutionLayout#PHASES} (phase planes instead of im2col). */
class PhasePlaneConvolutionTest {

    /** Sums of up to 6 x 5 x 5 N(0, 1) products in float32, against the double reference. */
    private static final double TOLERANCE = 5e-5;

    @Test
    void everyStrideAboveOneUsesPhasePlanesAndStrideOneDoesNot() {
        assertEquals(ConvolutionLayout.PHASES, ConvolutionLayout.of(new ConvolutionShape(5, 32, 32, 10, 3, 3, 2, 2, 1,
                1, 16, 16)));
        assertEquals(ConvolutionLayout.PHASES, ConvolutionLayout.of(new ConvolutionShape(10, 16, 16, 20, 1, 1, 2, 2, 0,
                0, 8, 8)));
        assertEquals(ConvolutionLayout.PHASES, ConvolutionLayout.of(new ConvolutionShape(2, 9, 9, 3, 3, 3, 2, 1, 1, 1,
                5, 9)));
        assertEquals(ConvolutionLayout.PADDED, ConvolutionLayout.of(new ConvolutionShape(5, 8, 8, 5, 3, 3, 1, 1, 1, 1,
                8, 8)));
    }

    @Test
    void phaseRunsAreWholeVectorsAndOnlyUnpaddedOnesAreWrittenStraightOut() {
        // 8x8 output of a 3x3 stride-2 layer: rows of 9 (one shift column), 72 floats rounded up to 80
        ConvolutionShape threeByThree = new ConvolutionShape(10, 16, 16, 20, 3, 3, 2, 2, 1, 1, 8, 8);
        assertEquals(9, ConvolutionLayout.PHASES.rowWidth(threeByThree));
        assertEquals(80, ConvolutionLayout.PHASES.rowRun(threeByThree));
        assertEquals(false, ConvolutionLayout.PHASES.plainRows(threeByThree));
        // a 1x1 projection has no shift columns: its 64-float planes are the runs
        ConvolutionShape projection = new ConvolutionShape(10, 16, 16, 20, 1, 1, 2, 2, 0, 0, 8, 8);
        assertEquals(64, ConvolutionLayout.PHASES.rowRun(projection));
        assertEquals(true, ConvolutionLayout.PHASES.plainRows(projection));
        // but a 5x5 plane's run of 25 is rounded to 32 and goes through the accumulator
        ConvolutionShape odd = new ConvolutionShape(3, 10, 10, 4, 1, 1, 2, 2, 0, 0, 5, 5);
        assertEquals(32, ConvolutionLayout.PHASES.rowRun(odd));
        assertEquals(false, ConvolutionLayout.PHASES.plainRows(odd));
    }

    @Test
    void handComputedStrideTwo() {
        // 1 channel 4x4 input in(r, c) = 4r + c + 1, 3x3 kernel of ones with w(1,1) = 10, stride 2, pad 1 -> 2x2:
        // out(y, x) = sum of the window (zeros outside) + 9 in(2y, 2x) + 0.5 (all 9 taps non-zero, so not the
        // shifted-taps path):
        // out(0,0) = (1 + 2 + 5 + 6) + 9 * 1 + 0.5 = 23.5; out(0,1) = (2 + 3 + 4 + 6 + 7 + 8) + 9 * 3 + 0.5 = 57.5;
        // out(1,0) = (5 + 6 + 9 + 10 + 13 + 14) + 9 * 9 + 0.5 = 138.5; out(1,1) = (6 + 7 + 8 + 10 + 11 + 12 + 14 + 15
        // + 16) + 9 * 11 + 0.5 = 198.5.
        ConvolutionShape s = new ConvolutionShape(1, 4, 4, 1, 3, 3, 2, 2, 1, 1, 2, 2);
        float[] input = new float[16];
        for (int i = 0; i < 16; i++) {
            input[i] = i + 1;
        }
        float[] weights = {1, 1, 1, 1, 10, 1, 1, 1, 1};
        for (KernelInstructions instructions : KernelInstructions.values()) {
            float[] out = new float[4];
            SparseConvolution.of(s, weights, new float[] {0.5f}, FusedActivation.IDENTITY, KernelThreading.CALLER_ONLY,
                    instructions).forward(input, 1, out);
            assertArrayEquals(new float[] {23.5f, 57.5f, 138.5f, 198.5f}, out, instructions.toString());
        }
    }

    @Test
    void randomStridedShapesWithFewChannelsMatchTheDenseReference() {
        // stride 2-3 (sometimes 1 in one direction), kernel 1-5, padding 0..k-1 (above the stride too), 1-3 input and
        // 1-20 output channels, sizes up to 33, dense and half-sparse weights, residual and ReLU, batch 1-3, both
        // instruction sets; each convolution called twice (the reused phase planes must give the same output)
        Random random = new Random(140);
        int checked = 0;
        for (int trial = 0; trial < 80; trial++) {
            int kh = 1 + random.nextInt(5);
            int kw = random.nextBoolean() ? kh : 1 + random.nextInt(5);
            int sh = 2 + random.nextInt(2);
            int sw = random.nextInt(4) == 0 ? 1 : 2 + random.nextInt(2);
            int ph = random.nextInt(kh);
            int pw = random.nextInt(kw);
            int h = Math.max(1, kh - 2 * ph) + random.nextInt(33 - kh);
            int w = Math.max(1, kw - 2 * pw) + random.nextInt(33 - kw);
            int inChannels = trial < 40 ? 1 + random.nextInt(3) : 1 + random.nextInt(12);
            ConvolutionShape s = new ConvolutionShape(inChannels, h, w, 1 + random.nextInt(20), kh, kw, sh, sw, ph, pw,
                    (h + 2 * ph - kh) / sh + 1, (w + 2 * pw - kw) / sw + 1);
            float[] weights = DenseReference.sparseWeights(random, s.outChannels(), s.patchSize(), random.nextBoolean()
                    ? 0.0 : 0.5);
            float[] bias = DenseReference.gaussian(random, s.outChannels());
            int batch = 1 + random.nextInt(3);
            float[] input = DenseReference.gaussian(random, batch * s.inputSize());
            float[] inputCopy = input.clone();
            boolean relu = random.nextBoolean();
            float[] residual = random.nextBoolean() ? DenseReference.gaussian(random, batch * s.outputSize()) : null;
            float[] expected = DenseReference.convolution(s, weights, bias, input, batch, false);
            for (int i = 0; i < expected.length; i++) {
                float sum = expected[i] + (residual == null ? 0f : residual[i]);
                expected[i] = relu ? Math.max(0f, sum) : sum;
            }
            for (KernelInstructions instructions : KernelInstructions.values()) {
                SparseConvolution conv = SparseConvolution.of(s, weights, bias, relu ? FusedActivation.RELU
                        : FusedActivation.IDENTITY, KernelThreading.values()[random.nextInt(2)], instructions);
                for (int call = 0; call < 2; call++) {
                    float[] out = new float[batch * s.outputSize()];
                    Arrays.fill(out, Float.NaN);
                    conv.forward(input, null, batch, out, null, residual);
                    double error = DenseReference.maxError(out, expected);
                    assertTrue(error < TOLERANCE, instructions + " " + s + " batch " + batch + " call " + call
                            + ": error " + error);
                    checked++;
                }
                assertArrayEquals(inputCopy, input, "input modified");
            }
        }
        assertEquals(320, checked);
    }

    @Test
    void resNetStageTransitionsAtSeventyPercentRemovedMatchTheDenseReference() {
        // the shrunk ResNet-56's stride-2 layers: 3x3 pad 1 and the 1x1 projections, 5 -> 10 and 10 -> 20 channels
        Random random = new Random(56);
        ConvolutionShape[] shapes = {new ConvolutionShape(5, 32, 32, 10, 3, 3, 2, 2, 1, 1, 16, 16),
                new ConvolutionShape(10, 16, 16, 20, 3, 3, 2, 2, 1, 1, 8, 8),
                new ConvolutionShape(5, 32, 32, 10, 1, 1, 2, 2, 0, 0, 16, 16),
                new ConvolutionShape(10, 16, 16, 20, 1, 1, 2, 2, 0, 0, 8, 8)};
        for (ConvolutionShape s : shapes) {
            float[] weights = DenseReference.gaussian(random, s.outChannels() * s.patchSize());
            float[] bias = DenseReference.gaussian(random, s.outChannels());
            float[] input = DenseReference.gaussian(random, s.inputSize());
            float[] expected = DenseReference.convolution(s, weights, bias, input, 1, true);
            for (KernelInstructions instructions : KernelInstructions.values()) {
                float[] out = new float[s.outputSize()];
                SparseConvolution.of(s, weights, bias, FusedActivation.RELU, KernelThreading.CALLER_ONLY, instructions)
                        .forward(input, 1, out);
                assertTrue(DenseReference.maxError(out, expected) < TOLERANCE, instructions + " " + s);
            }
        }
    }

    @Test
    void stridedConvolutionsGatherFromAnyStoredLayoutOfTheInput() {
        // the input stored with random borders and row widths, NaN outside the image (never read), batch 1-3
        Random random = new Random(141);
        int checked = 0;
        for (int trial = 0; trial < 40; trial++) {
            int k = 1 + random.nextInt(3);
            int stride = 2 + random.nextInt(2);
            int pad = random.nextInt(k);
            int h = k + random.nextInt(20);
            int w = k + random.nextInt(20);
            ConvolutionShape s = new ConvolutionShape(1 + random.nextInt(4), h, w, 1 + random.nextInt(12), k, k, stride,
                    stride, pad, pad, (h + 2 * pad - k) / stride + 1, (w + 2 * pad - k) / stride + 1);
            float[] weights = DenseReference.gaussian(random, s.outChannels() * s.patchSize());
            float[] bias = DenseReference.gaussian(random, s.outChannels());
            int batch = 1 + random.nextInt(3);
            float[] input = DenseReference.gaussian(random, batch * s.inputSize());
            int padTop = random.nextInt(3);
            int padLeft = random.nextInt(3);
            PlaneLayout stored = new PlaneLayout(h, w, padTop, padLeft, padLeft + w + random.nextInt(3), padTop + h
                    + random.nextInt(3));
            float[] storedInput = new float[batch * s.inChannels() * stored.planeSize()];
            Arrays.fill(storedInput, Float.NaN);
            for (int plane = 0; plane < batch * s.inChannels(); plane++) {
                for (int y = 0; y < h; y++) {
                    System.arraycopy(input, (plane * h + y) * w, storedInput, plane * stored.planeSize() + stored
                            .origin() + y * stored.rowWidth(), w);
                }
            }
            float[] expected = DenseReference.convolution(s, weights, bias, input, batch, true);
            for (KernelInstructions instructions : KernelInstructions.values()) {
                SparseConvolution conv = SparseConvolution.of(s, weights, bias, FusedActivation.RELU,
                        KernelThreading.values()[random.nextInt(2)], instructions);
                // a layer of a few products takes the shifted-taps path, which reads plain NCHW only
                boolean shiftedTaps = (long) weights.length * s.outHeight() * s.outWidth() <= s.inputSize();
                assertEquals(!shiftedTaps, conv.readsLayout(stored), s + " reads " + stored);
                if (shiftedTaps) {
                    continue;
                }
                float[] out = new float[batch * s.outputSize()];
                conv.forward(storedInput, stored, batch, out, null);
                assertTrue(DenseReference.maxError(out, expected) < TOLERANCE, instructions + " " + s + " from "
                        + stored);
                checked++;
            }
        }
        assertTrue(checked >= 60, "checked " + checked);
        // not a layout of another size, nor null; a stride-1 convolution reads only its own padded layout
        SparseConvolution strided = SparseConvolution.of(new ConvolutionShape(2, 8, 8, 3, 3, 3, 2, 2, 1, 1, 4, 4),
                DenseReference.gaussian(random, 54), null, FusedActivation.IDENTITY, KernelThreading.CALLER_ONLY);
        assertEquals(false, strided.readsLayout(new PlaneLayout(8, 7, 1, 1, 10, 10)));
        assertEquals(false, strided.readsLayout(null));
        SparseConvolution unit = SparseConvolution.of(new ConvolutionShape(2, 8, 8, 3, 3, 3, 1, 1, 1, 1, 8, 8),
                DenseReference.gaussian(random, 54), null, FusedActivation.IDENTITY, KernelThreading.CALLER_ONLY);
        assertEquals(true, unit.readsLayout(unit.inputLayout()));
        assertEquals(false, unit.readsLayout(new PlaneLayout(8, 8, 2, 2, 12, 12)));
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> strided.forward(
                new float[2 * 70], new PlaneLayout(8, 7, 0, 0, 7, 10), 1, new float[48], null));
        assertTrue(wrong.getMessage().startsWith("inputLayout must be null or one readsLayout accepts"), wrong
                .getMessage());
    }

    @Test
    void badInputIsRejectedWithTheParameterName() {
        ConvolutionShape s = new ConvolutionShape(2, 8, 8, 3, 3, 3, 2, 2, 1, 1, 4, 4);
        SparseConvolution conv = SparseConvolution.of(s, DenseReference.gaussian(new Random(1), 54), null,
                FusedActivation.IDENTITY, KernelThreading.CALLER_ONLY);
        IllegalArgumentException shortInput = assertThrows(IllegalArgumentException.class, () -> conv.forward(
                new float[127], 1, new float[48]));
        assertTrue(shortInput.getMessage().startsWith("input must have length"), shortInput.getMessage());
        IllegalArgumentException shortOutput = assertThrows(IllegalArgumentException.class, () -> conv.forward(
                new float[128], 1, new float[47]));
        assertTrue(shortOutput.getMessage().startsWith("output must have length"), shortOutput.getMessage());
        IllegalArgumentException residual = assertThrows(IllegalArgumentException.class, () -> conv.forward(
                new float[128], null, 1, new float[48], null, new float[47]));
        assertTrue(residual.getMessage().startsWith("residual must have"), residual.getMessage());
        assertEquals(null, conv.inputLayout(), "a strided convolution reads plain NCHW");
    }
}
