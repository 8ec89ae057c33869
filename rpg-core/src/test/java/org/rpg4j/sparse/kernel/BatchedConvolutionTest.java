package org.rpg4j.sparse.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchedConvolutionTest {

    /** Sums of up to 12 x 5 x 5 = 300 N(0, 1) products in float32 against the double reference. */
    private static final double TOLERANCE = 5e-5;
    private static final double[] SPARSITIES = {0.0, 0.7, 0.95, 1.0};

    @Test
    void handComputedStrideTwoWithPadding() {
        // 1 channel 3x3 input [[1, 2, 3], [4, 5, 6], [7, 8, 9]], 3x3 kernel with w(0,0)=1 and w(1,1)=10,
        // stride 2, pad 1, output 2x2: out(y, x) = in(2y-1, 2x-1) + 10 in(2y, 2x) + bias 0.5:
        // out(0,0) = 0 + 10 + 0.5; out(0,1) = 0 + 30 + 0.5; out(1,0) = 0 + 70 + 0.5; out(1,1) = 5 + 90 + 0.5.
        // The second image is the first times -1, through the ReLU: bias only where the sum is negative.
        ConvolutionShape s = new ConvolutionShape(1, 3, 3, 1, 3, 3, 2, 2, 1, 1, 2, 2);
        float[] w = {1, 0, 0, 0, 10, 0, 0, 0, 0};
        float[] input = {1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -2, -3, -4, -5, -6, -7, -8, -9};
        for (KernelInstructions instructions : available()) {
            float[] out = new float[8];
            BatchedConvolution.of(s, w, new float[] {0.5f}, FusedActivation.RELU, KernelThreading.CALLER_ONLY,
                    instructions, ChannelBlocking.AUTO).forward(input, 2, out, null);
            assertArrayEquals(new float[] {10.5f, 30.5f, 70.5f, 95.5f, 0f, 0f, 0f, 0f}, out, instructions.name());
        }
    }

    @Test
    void matchesDenseReferenceOnRandomShapesSparsitiesAndBatches() {
        // kernel 1-5 by 1-5, stride 1 or 2, padding 0..k-1, 1-12 channels, batch 1..33 (vector tails and
        // runs across pixel boundaries), from 100 % dense to an empty layer (row 0 always empty), with and
        // without a residual, one channel at a time and in blocks of four.
        Random random = new Random(31);
        for (int trial = 0; trial < 30; trial++) {
            ConvolutionShape s = DenseReference.randomLayerShape(random, 12);
            for (double sparsity : SPARSITIES) {
                float[] w = DenseReference.sparseWeights(random, s.outChannels(), s.patchSize(), sparsity);
                float[] bias = random.nextBoolean() ? DenseReference.gaussian(random, s.outChannels()) : null;
                int batch = 1 + random.nextInt(33);
                check(random, s, w, bias, batch);
            }
        }
    }

    @Test
    void smallPlanesOfTheBenchmarkNetworksAtBatchThirtyTwo() {
        // VGG-19's 4x4 and 2x2 and ResNet-56's 8x8 geometry (3x3, pad 1) with fewer channels, and the 8x8
        // stride-2 downsampling convolution, at batch 32 and 33.
        Random random = new Random(41);
        ConvolutionShape[] shapes = {new ConvolutionShape(24, 4, 4, 20, 3, 3, 1, 1, 1, 1, 4, 4),
                new ConvolutionShape(24, 2, 2, 16, 3, 3, 1, 1, 1, 1, 2, 2),
                new ConvolutionShape(16, 8, 8, 16, 3, 3, 1, 1, 1, 1, 8, 8),
                new ConvolutionShape(8, 16, 16, 16, 3, 3, 2, 2, 1, 1, 8, 8)};
        for (ConvolutionShape s : shapes) {
            for (double sparsity : new double[] {0.0, 0.9, 0.98}) {
                float[] w = DenseReference.sparseWeights(random, s.outChannels(), s.patchSize(), sparsity);
                check(random, s, w, DenseReference.gaussian(random, s.outChannels()), 32);
                check(random, s, w, DenseReference.gaussian(random, s.outChannels()), 33);
            }
        }
    }

    @Test
    void tilesSumOverSeveralInputChannelTilesAndRuns() {
        // more input channels than one tile holds (14 at 3x3, 5 at 5x5), so the sums are split over 2-4 tiles
        // (the last one partial), and runs longer than a tile's (8x8 at batch 33: 264 floats = 128 + 128 + 8),
        // from 100 % dense to an empty layer, with tiles in which a row has no non-zero (row 0 always empty)
        Random random = new Random(61);
        ConvolutionShape[] shapes = {new ConvolutionShape(40, 8, 8, 20, 3, 3, 1, 1, 1, 1, 8, 8),
                new ConvolutionShape(12, 6, 6, 8, 5, 5, 1, 1, 2, 2, 6, 6),
                new ConvolutionShape(30, 16, 16, 12, 3, 3, 2, 2, 1, 1, 8, 8),
                new ConvolutionShape(16, 16, 16, 8, 3, 3, 1, 1, 1, 1, 16, 16)};
        int[] batches = {33, 17, 9, 32};
        for (int i = 0; i < shapes.length; i++) {
            ConvolutionShape s = shapes[i];
            float[] probe = new float[s.outChannels() * s.patchSize()];
            assertTrue(BatchedConvolution.of(s, probe, null, FusedActivation.IDENTITY, KernelThreading.CALLER_ONLY,
                    KernelInstructions.SCALAR, ChannelBlocking.AUTO, SourceTiling.ALWAYS).channelTiles() > (i < 3 ? 1
                            : 0), s.toString());
            for (double sparsity : new double[] {0.0, 0.5, 0.9, 0.99, 1.0}) {
                float[] w = DenseReference.sparseWeights(random, s.outChannels(), s.patchSize(), sparsity);
                check(random, s, w, DenseReference.gaussian(random, s.outChannels()), batches[i]);
            }
        }
    }

    @Test
    void autoTilesWhereTheRowSourceExceedsTheLimitAndTheRunFillsATile() {
        // VGG-19's 256 x 8x8 and 128 x 16x16 at batch 32 read 240 K and 216 K floats per output row: tiled at
        // density 0.5, not at 0.05; the 64 x 8x8 of ResNet-56 (60 K) not; the 512 x 2x2 not (its 64-float runs
        // are shorter than a tile's)
        assertTrue(tiledAuto(new ConvolutionShape(256, 8, 8, 4, 3, 3, 1, 1, 1, 1, 8, 8), 32));
        assertFalse(tiledAuto(new ConvolutionShape(256, 8, 8, 4, 3, 3, 1, 1, 1, 1, 8, 8), 32, 0.05), "density");
        assertTrue(tiledAuto(new ConvolutionShape(128, 16, 16, 4, 3, 3, 1, 1, 1, 1, 16, 16), 32));
        assertFalse(tiledAuto(new ConvolutionShape(64, 8, 8, 4, 3, 3, 1, 1, 1, 1, 8, 8), 32));
        assertFalse(tiledAuto(new ConvolutionShape(512, 2, 2, 4, 3, 3, 1, 1, 1, 1, 2, 2), 32));
        assertFalse(tiledAuto(new ConvolutionShape(256, 8, 8, 4, 3, 3, 1, 1, 1, 1, 8, 8), 2), "batch 2");
    }

    @Test
    void reusedForOtherBatchSizesAndThreads() {
        // one convolution called at batch 5, 32, 5 (buffers and offsets per batch size) on the common pool
        Random random = new Random(51);
        ConvolutionShape s = new ConvolutionShape(12, 4, 4, 16, 3, 3, 1, 1, 1, 1, 4, 4);
        float[] w = DenseReference.sparseWeights(random, s.outChannels(), s.patchSize(), 0.5);
        float[] bias = DenseReference.gaussian(random, s.outChannels());
        BatchedConvolution conv = BatchedConvolution.of(s, w, bias, FusedActivation.RELU, KernelThreading.COMMON_POOL,
                KernelInstructions.best(), ChannelBlocking.ALWAYS);
        for (int batch : new int[] {5, 32, 5}) {
            float[] input = DenseReference.gaussian(random, batch * s.inputSize());
            float[] out = new float[batch * s.outputSize()];
            conv.forward(input, batch, out, null);
            double error = DenseReference.maxError(out, DenseReference.convolution(s, w, bias, input, batch, true));
            assertTrue(error < TOLERANCE, "batch " + batch + ": error " + error);
        }
    }

    @Test
    void rejectsBadArguments() {
        ConvolutionShape s = new ConvolutionShape(2, 4, 4, 3, 3, 3, 1, 1, 1, 1, 4, 4);
        float[] w = new float[3 * 2 * 9];
        KernelThreading t = KernelThreading.CALLER_ONLY;
        KernelInstructions scalar = KernelInstructions.SCALAR;
        FusedActivation id = FusedActivation.IDENTITY;
        assertThrows(IllegalArgumentException.class, () -> BatchedConvolution.of(s, new float[5], null, id, t, scalar,
                ChannelBlocking.AUTO));
        assertThrows(IllegalArgumentException.class, () -> BatchedConvolution.of(s, w, new float[2], id, t, scalar,
                ChannelBlocking.AUTO));
        assertThrows(IllegalArgumentException.class, () -> BatchedConvolution.of(s, w, null, id, t, scalar, null));
        IllegalArgumentException tiling = assertThrows(IllegalArgumentException.class, () -> BatchedConvolution.of(s,
                w, null, id, t, scalar, ChannelBlocking.AUTO, null));
        assertTrue(tiling.getMessage().contains("tiling"), tiling.getMessage());
        BatchedConvolution conv = BatchedConvolution.of(s, w, null, id, t, scalar, ChannelBlocking.AUTO);
        float[] in = new float[2 * s.inputSize()];
        float[] out = new float[2 * s.outputSize()];
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class, () -> conv.forward(in, 0, out,
                null));
        assertTrue(batch.getMessage().contains("batch must be >= 1, got 0"), batch.getMessage());
        assertThrows(IllegalArgumentException.class, () -> conv.forward(new float[3], 2, out, null));
        assertThrows(IllegalArgumentException.class, () -> conv.forward(in, 2, new float[3], null));
        IllegalArgumentException residual = assertThrows(IllegalArgumentException.class, () -> conv.forward(in, 2,
                out, new float[1]));
        assertTrue(residual.getMessage().contains("residual"), residual.getMessage());
    }

    /** One random input (and maybe residual) through every instruction set and blocking, against the reference. */
    private static void check(Random random, ConvolutionShape s, float[] w, float[] bias, int batch) {
        float[] input = DenseReference.gaussian(random, batch * s.inputSize());
        float[] inputCopy = input.clone();
        boolean relu = random.nextBoolean();
        float[] residual = random.nextBoolean() ? DenseReference.gaussian(random, batch * s.outputSize()) : null;
        float[] expected = DenseReference.convolution(s, w, bias, input, batch, false);
        for (int i = 0; i < expected.length; i++) {
            float v = expected[i] + (residual == null ? 0f : residual[i]);
            expected[i] = relu ? Math.max(v, 0f) : v;
        }
        KernelThreading threading = KernelThreading.values()[random.nextInt(2)];
        for (KernelInstructions instructions : available()) {
            for (ChannelBlocking blocking : ChannelBlocking.values()) {
                for (SourceTiling tiling : SourceTiling.values()) {
                    float[] out = new float[batch * s.outputSize()];
                    Arrays.fill(out, Float.NaN);
                    BatchedConvolution.of(s, w, bias, relu ? FusedActivation.RELU : FusedActivation.IDENTITY,
                            threading, instructions, blocking, tiling).forward(input, batch, out, residual);
                    double error = DenseReference.maxError(out, expected);
                    assertTrue(error < TOLERANCE, instructions + " " + blocking + " " + tiling + " " + s + " batch "
                            + batch + (residual != null ? " +residual" : "") + ": error " + error);
                    assertArrayEquals(inputCopy, input, "input modified");
                }
            }
        }
    }

    /** @return whether the AUTO tiling tiles a 50 %-dense convolution of this shape at this batch size */
    private static boolean tiledAuto(ConvolutionShape s, int batch) {
        return tiledAuto(s, batch, 0.5);
    }

    /** @return whether the AUTO tiling tiles a convolution of this shape, batch size and density */
    private static boolean tiledAuto(ConvolutionShape s, int batch, double density) {
        float[] w = DenseReference.sparseWeights(new Random(1), s.outChannels(), s.patchSize(), 1 - density);
        return BatchedConvolution.of(s, w, null, FusedActivation.IDENTITY, KernelThreading.CALLER_ONLY,
                KernelInstructions.SCALAR, ChannelBlocking.AUTO, SourceTiling.AUTO).tiled(batch);
    }

    /** Both instruction sets where the JVM has the Vector API (the tests run with it, see the POM). */
    private static KernelInstructions[] available() {
        return Arrays.stream(KernelInstructions.values()).filter(KernelInstructions::available).toArray(
                KernelInstructions[]::new);
    }
}
