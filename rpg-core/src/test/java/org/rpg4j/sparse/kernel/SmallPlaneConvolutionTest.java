package org.rpg4j.sparse.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SmallPlaneConvolutionTest {

    /** Sums of up to a few thousand N(0, 1) products in float32 against the double reference (relative). */
    private static final double TOLERANCE = 1e-4;

    @Test
    void handComputedStrideTwoWithPadding() {
        // as BatchedConvolutionTest: out(y, x) = in(2y-1, 2x-1) + 10 in(2y, 2x) + 0.5, second image negated, ReLU
        ConvolutionShape s = new ConvolutionShape(1, 3, 3, 1, 3, 3, 2, 2, 1, 1, 2, 2);
        float[] w = {1, 0, 0, 0, 10, 0, 0, 0, 0};
        float[] input = {1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -2, -3, -4, -5, -6, -7, -8, -9};
        for (KernelInstructions instructions : available()) {
            float[] out = new float[8];
            SmallPlaneConvolution.of(s, w, new float[] {0.5f}, FusedActivation.RELU, instructions).forward(input, 2,
                    out, null);
            assertArrayEquals(new float[] {10.5f, 30.5f, 70.5f, 95.5f, 0f, 0f, 0f, 0f}, out, instructions.name());
        }
    }

    @Test
    void matchesDenseReferenceOnRandomShapesWithOneToFortyChannels() {
        // kernel 1-5 by 1-5, stride 1 or 2, padding, 1-12 input and 1-40 output channels (vector tails of every
        // length, four-vector blocks and single vectors), batch 1-3, pixel counts not a multiple of four
        Random random = new Random(7);
        for (int trial = 0; trial < 60; trial++) {
            ConvolutionShape s = DenseReference.randomLayerShape(random, 40);
            check(random, s, 1 + random.nextInt(3));
        }
    }

    @Test
    void oneToThreeChannelsAndTheBenchmarkPlanes() {
        Random random = new Random(11);
        List<ConvolutionShape> shapes = List.of(new ConvolutionShape(1, 2, 2, 1, 3, 3, 1, 1, 1, 1, 2, 2),
                new ConvolutionShape(2, 4, 4, 3, 3, 3, 1, 1, 1, 1, 4, 4),
                new ConvolutionShape(3, 5, 3, 2, 3, 3, 2, 2, 1, 1, 3, 2),
                new ConvolutionShape(154, 2, 2, 154, 3, 3, 1, 1, 1, 1, 2, 2),
                new ConvolutionShape(77, 4, 4, 154, 3, 3, 1, 1, 1, 1, 4, 4),
                new ConvolutionShape(20, 8, 8, 20, 3, 3, 1, 1, 1, 1, 8, 8));
        for (ConvolutionShape s : shapes) {
            for (int batch = 1; batch <= 2; batch++) {
                check(random, s, batch);
            }
        }
    }

    @Test
    void badArgumentsAreRefused() {
        ConvolutionShape s = new ConvolutionShape(2, 4, 4, 3, 3, 3, 1, 1, 1, 1, 4, 4);
        float[] w = new float[3 * 2 * 9];
        assertThrows(IllegalArgumentException.class, () -> SmallPlaneConvolution.of(s, new float[5], null,
                FusedActivation.RELU));
        assertThrows(IllegalArgumentException.class, () -> SmallPlaneConvolution.of(s, w, new float[2],
                FusedActivation.RELU));
        assertThrows(IllegalArgumentException.class, () -> SmallPlaneConvolution.of(null, w, null,
                FusedActivation.RELU));
        assertThrows(IllegalArgumentException.class, () -> SmallPlaneConvolution.of(s, w, null, null));
        SmallPlaneConvolution conv = SmallPlaneConvolution.of(s, w, null, FusedActivation.IDENTITY);
        float[] in = new float[2 * 16];
        float[] out = new float[3 * 16];
        assertThrows(IllegalArgumentException.class, () -> conv.forward(in, 0, out, null));
        assertThrows(IllegalArgumentException.class, () -> conv.forward(new float[31], 1, out, null));
        assertThrows(IllegalArgumentException.class, () -> conv.forward(in, 1, new float[47], null));
        assertThrows(IllegalArgumentException.class, () -> conv.forward(in, 1, out, new float[3]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> conv.forward(null, 1, out,
                null));
        assertTrue(e.getMessage().contains("input"), e.getMessage());
    }

    private static void check(Random random, ConvolutionShape s, int batch) {
        float[] w = DenseReference.gaussian(random, s.outChannels() * s.patchSize());
        float[] bias = random.nextBoolean() ? DenseReference.gaussian(random, s.outChannels()) : null;
        float[] input = DenseReference.gaussian(random, batch * s.inputSize());
        boolean relu = random.nextBoolean();
        boolean withResidual = random.nextBoolean();
        float[] residual = withResidual ? DenseReference.gaussian(random, batch * s.outputSize()) : null;
        float[] expected = DenseReference.convolution(s, w, bias, input, batch, false);
        for (int i = 0; i < expected.length; i++) {
            float v = expected[i] + (residual == null ? 0f : residual[i]);
            expected[i] = relu ? Math.max(0f, v) : v;
        }
        for (KernelInstructions instructions : available()) {
            float[] out = new float[batch * s.outputSize()];
            Arrays.fill(out, Float.NaN);
            SmallPlaneConvolution.of(s, w, bias, relu ? FusedActivation.RELU : FusedActivation.IDENTITY,
                    instructions).forward(input, batch, out, residual);
            double scale = Math.sqrt(s.patchSize());
            double error = DenseReference.maxError(out, expected);
            assertTrue(error <= TOLERANCE * scale, s + " batch " + batch + " " + instructions + ": " + error);
            assertEquals(expected.length, out.length);
        }
    }

    private static List<KernelInstructions> available() {
        return Arrays.stream(KernelInstructions.values()).filter(KernelInstructions::available).toList();
    }
}
