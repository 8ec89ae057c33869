package org.rpg4j.sparse.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InterleavedConvolutionTest {

    private static final double TOLERANCE = 1e-5;
    /** Sums of more than 100 N(0, 1) products in float32 (measured worst 1.2e-5 relative, 19 x 3 x 3 = 171). */
    private static final double LONG_SUM_TOLERANCE = 5e-5;
    private static final int G = InterleavedLayout.GROUP;

    @Test
    void sumsTheThreeByThreeWindowOfEachImage() {
        // input 1x3x3 with values 1..9 times (image + 1), weights all 1, padding 1, bias 0.5:
        // centre = 45 (image + 1) + 0.5, corner (0, 0) = (1 + 2 + 4 + 5)(image + 1) + 0.5 = 12 (image + 1) + 0.5
        ConvolutionShape shape = new ConvolutionShape(1, 3, 3, 1, 3, 3, 1, 1, 1, 1, 3, 3);
        float[] weights = new float[9];
        Arrays.fill(weights, 1.0f);
        for (KernelInstructions instructions : available()) {
            InterleavedConvolution conv = InterleavedConvolution.of(shape, weights, new float[] {0.5f},
                    FusedActivation.IDENTITY, instructions);
            InterleavedLayout in = new InterleavedLayout(1, 3, 3, 1);
            InterleavedLayout out = new InterleavedLayout(1, 3, 3, 0);
            float[] plain = new float[G * 9];
            for (int b = 0; b < G; b++) {
                for (int i = 0; i < 9; i++) {
                    plain[b * 9 + i] = (i + 1) * (b + 1);
                }
            }
            float[] input = new float[in.groupSize()];
            in.interleave(plain, G, input);
            float[] output = new float[out.groupSize()];
            conv.forward(input, in, 1, output, out, null);
            float[] result = new float[G * 9];
            out.deinterleave(output, G, result);
            for (int b = 0; b < G; b++) {
                assertEquals(45 * (b + 1) + 0.5f, result[b * 9 + 4], TOLERANCE, instructions + " image " + b);
                assertEquals(12 * (b + 1) + 0.5f, result[b * 9], TOLERANCE, instructions + " image " + b);
            }
        }
    }

    @Test
    void matchesTheDirectConvolution() {
        ConvolutionShape[] shapes = {
                new ConvolutionShape(5, 32, 32, 5, 3, 3, 1, 1, 1, 1, 32, 32),
                new ConvolutionShape(5, 32, 32, 10, 3, 3, 2, 2, 1, 1, 16, 16),
                new ConvolutionShape(5, 32, 32, 10, 1, 1, 2, 2, 0, 0, 16, 16),
                new ConvolutionShape(19, 8, 8, 19, 3, 3, 1, 1, 1, 1, 8, 8),
                new ConvolutionShape(3, 7, 5, 7, 3, 3, 1, 1, 1, 1, 7, 5),
                new ConvolutionShape(2, 9, 7, 3, 3, 3, 2, 2, 1, 1, 5, 4),
                new ConvolutionShape(4, 6, 6, 6, 5, 5, 1, 1, 2, 2, 6, 6),
                new ConvolutionShape(6, 3, 3, 5, 3, 3, 1, 1, 1, 1, 3, 3),
                new ConvolutionShape(3, 11, 11, 12, 3, 3, 1, 1, 0, 0, 9, 9),
        };
        Random random = new Random(14);
        for (KernelInstructions instructions : available()) {
            for (ConvolutionShape shape : shapes) {
                for (int batch : new int[] {16, 20}) {
                    for (boolean withResidual : new boolean[] {false, true}) {
                        check(shape, batch, withResidual, withResidual, instructions, random);
                    }
                }
            }
        }
    }

    @Test
    void matchesTheDirectConvolutionOnRandomShapes() {
        Random random = new Random(16);
        for (int trial = 0; trial < 40; trial++) {
            ConvolutionShape shape = DenseReference.randomLayerShape(random, 13);
            for (KernelInstructions instructions : available()) {
                check(shape, 16 + random.nextInt(17), random.nextBoolean(), random.nextBoolean(), instructions, random);
            }
        }
    }

    private static void check(ConvolutionShape s, int batch, boolean relu, boolean withResidual,
                              KernelInstructions instructions, Random random) {
        float[] weights = DenseReference.gaussian(random, s.outChannels() * s.patchSize());
        float[] bias = DenseReference.gaussian(random, s.outChannels());
        float[] plain = DenseReference.gaussian(random, batch * s.inputSize());
        float[] plainResidual = withResidual ? DenseReference.gaussian(random, batch * s.outputSize()) : null;
        float[] expected = DenseReference.convolution(s, weights, bias, plain, batch, false);
        for (int i = 0; i < expected.length; i++) {
            float value = expected[i] + (withResidual ? plainResidual[i] : 0.0f);
            expected[i] = relu ? Math.max(value, 0.0f) : value;
        }
        int border = Math.max(s.kernelHeight(), s.kernelWidth());
        InterleavedLayout in = new InterleavedLayout(s.inChannels(), s.inHeight(), s.inWidth(), border);
        InterleavedLayout out = new InterleavedLayout(s.outChannels(), s.outHeight(), s.outWidth(), 1);
        int groups = InterleavedLayout.groups(batch);
        float[] input = new float[groups * in.groupSize()];
        in.interleave(plain, batch, input);
        float[] inputCopy = input.clone();
        float[] residual = null;
        if (withResidual) {
            residual = new float[groups * out.groupSize()];
            out.interleave(plainResidual, batch, residual);
        }
        float[] output = new float[groups * out.groupSize()];
        InterleavedConvolution.of(s, weights, bias, relu ? FusedActivation.RELU : FusedActivation.IDENTITY,
                instructions).forward(input, in, groups, output, out, residual);
        float[] result = new float[batch * s.outputSize()];
        out.deinterleave(output, batch, result);
        double error = DenseReference.maxError(result, expected);
        double tolerance = s.patchSize() > 100 ? LONG_SUM_TOLERANCE : TOLERANCE;
        assertTrue(error < tolerance, instructions + " " + s + " batch " + batch + ": error " + error);
        assertArrayEquals(inputCopy, input, 0.0f, "input modified");
        for (int i = 0; i < out.rowStride(); i++) {
            assertEquals(0.0f, output[i], 0.0f, "output border written at " + i);
        }
    }

    @Test
    void roundTripsAPartialGroupAndLeavesMissingImagesZero() {
        InterleavedLayout layout = new InterleavedLayout(3, 4, 5, 1);
        float[] plain = DenseReference.gaussian(new Random(3), 20 * 3 * 4 * 5);
        float[] interleaved = new float[2 * layout.groupSize()];
        layout.interleave(plain, 20, interleaved);
        float[] back = new float[plain.length];
        layout.deinterleave(interleaved, 20, back);
        assertArrayEquals(plain, back, 0.0f);
        // image 20 would be lane 4 of group 1: never written
        assertEquals(0.0f, interleaved[layout.groupSize() + layout.index(2, 3, 4) + 4], 0.0f);
        assertEquals(layout.index(0, 0, 0), (layout.rowStride() + G));
    }

    @Test
    void refusesBadArgumentsByName() {
        ConvolutionShape shape = new ConvolutionShape(2, 4, 4, 3, 3, 3, 1, 1, 1, 1, 4, 4);
        InterleavedConvolution conv = InterleavedConvolution.of(shape, new float[54], null, FusedActivation.RELU,
                KernelInstructions.SCALAR);
        InterleavedLayout in = new InterleavedLayout(2, 4, 4, 1);
        InterleavedLayout out = new InterleavedLayout(3, 4, 4, 0);
        float[] input = new float[in.groupSize()];
        float[] output = new float[out.groupSize()];
        assertMessage("weights", () -> InterleavedConvolution.of(shape, new float[53], null, FusedActivation.RELU,
                KernelInstructions.SCALAR));
        assertMessage("bias", () -> InterleavedConvolution.of(shape, new float[54], new float[2],
                FusedActivation.RELU, KernelInstructions.SCALAR));
        assertMessage("inputLayout border", () -> conv.forward(new float[new InterleavedLayout(2, 4, 4, 0)
                .groupSize()], new InterleavedLayout(2, 4, 4, 0), 1, output, out, null));
        assertMessage("inputLayout", () -> conv.forward(input, new InterleavedLayout(3, 4, 4, 1), 1, output, out,
                null));
        assertMessage("outputLayout", () -> conv.forward(input, in, 1, output, new InterleavedLayout(3, 2, 4, 0),
                null));
        assertMessage("groups", () -> conv.forward(input, in, 0, output, out, null));
        assertMessage("input", () -> conv.forward(input, in, 2, output, out, null));
        assertMessage("residual", () -> conv.forward(input, in, 1, output, out, output));
        assertMessage("border", () -> new InterleavedLayout(1, 1, 1, -1));
        assertMessage("batch", () -> in.interleave(new float[0], 0, input));
        assertMessage("nchw", () -> in.interleave(new float[5], 1, input));
    }

    private static void assertMessage(String name, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().startsWith(name), e.getMessage());
    }

    private static KernelInstructions[] available() {
        return Arrays.stream(KernelInstructions.values()).filter(KernelInstructions::available).toArray(
                KernelInstructions[]::new);
    }
}
