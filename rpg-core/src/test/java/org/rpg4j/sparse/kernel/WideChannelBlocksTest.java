package org.rpg4j.sparse.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Blocks of five output channels ({@link ChannelBlocks#WIDE_ROWS}, {@link RowKernel#wideBlocks}) for channel counts
 * that are a multiple of 5 and not of 4 (a shrunk ResNet-56's 5 and 10 channels), and the 4-row blocks' 5-vector step
 * (its 20 channels on 8x8 planes): the grouping by hand, when
 * they are chosen, outputs bit-identical to one channel at a time with the Vector API and within the dense
 * reference's tolerance with both instruction sets, on the shrunk network's planes and on tiny ones, every epilogue
 * and layout, zero inputs and zero weight rows, and bad input refused.
 */
class WideChannelBlocksTest {

    /** Sums of up to 12 x 3 x 3 N(0, 1) products in float32 against the double reference. */
    private static final double TOLERANCE = 5e-5;

    @Test
    void handComputedWideBlocks() {
        // 11 rows x 4 columns; block 0 = rows 0-4: union of columns {0, 1, 3}; block 1 = rows 5-9: row 7 only,
        // column 2; row 10 is not in a whole block
        float[] dense = new float[11 * 4];
        dense[0] = 1;
        dense[4 + 1] = 2;
        dense[3 * 4 + 3] = 3;
        dense[4 * 4] = 4;
        dense[7 * 4 + 2] = 5;
        dense[10 * 4] = 6;
        ChannelBlocks blocks = ChannelBlocks.of(CsrMatrix.fromDense(dense, 11, 4), column -> 100 * column,
                ChannelBlocks.WIDE_ROWS);
        assertEquals(ChannelBlocks.WIDE_ROWS, blocks.rows());
        assertEquals(2, blocks.blocks());
        assertArrayEquals(new int[] {0, 3, 4}, blocks.blockStart());
        assertArrayEquals(new int[] {0, 100, 300, 200}, blocks.offsets());
        assertArrayEquals(new float[] {
                1, 0, 0, 0, 4, // block 0, column 0
                0, 2, 0, 0, 0, // column 1
                0, 0, 0, 3, 0, // column 3
                0, 0, 5, 0, 0}, // block 1, column 2
                blocks.values());
        // 4 taps x 5 rows stored for the 5 non-zeros of rows 0-9
        assertEquals(20.0 / 5.0, blocks.fill(), 1e-12);
        assertEquals(ChannelBlocks.ROWS, ChannelBlocks.of(CsrMatrix.fromDense(dense, 11, 4), c -> c).rows());
    }

    @Test
    void wideBlocksForMultiplesOfFiveThatAreNotOfFour() {
        assertEquals(5, ChannelBlocks.rowsFor(5, true));
        assertEquals(5, ChannelBlocks.rowsFor(10, true));
        assertEquals(5, ChannelBlocks.rowsFor(15, true));
        assertEquals(4, ChannelBlocks.rowsFor(20, true), "a multiple of 4 keeps blocks of 4");
        assertEquals(4, ChannelBlocks.rowsFor(8, true));
        assertEquals(4, ChannelBlocks.rowsFor(3, true));
        assertEquals(4, ChannelBlocks.rowsFor(5, false), "only where the kernel has wide blocks");
        assertTrue(KernelInstructions.SCALAR.kernel().hasWideBlocks());
        boolean vectorWide = KernelInstructions.VECTOR_API.kernel().hasWideBlocks();
        ConvolutionShape five = new ConvolutionShape(5, 32, 32, 5, 3, 3, 1, 1, 1, 1, 32, 32);
        float[] weights = DenseReference.sparseWeights(new Random(1), 5, five.patchSize(), 0.0);
        SparseConvolution conv = SparseConvolution.of(five, weights, null, FusedActivation.RELU,
                KernelThreading.CALLER_ONLY, KernelInstructions.VECTOR_API);
        assertEquals(vectorWide ? 5 : 4, conv.channelBlockRows(), conv.toString());
        assertTrue(conv.toString().contains("channel blocks of " + conv.channelBlockRows()), conv.toString());
        ConvolutionShape twenty = new ConvolutionShape(20, 8, 8, 20, 3, 3, 1, 1, 1, 1, 8, 8);
        assertEquals(4, SparseConvolution.of(twenty, DenseReference.sparseWeights(new Random(2), 20, twenty
                .patchSize(), 0.0), null, FusedActivation.RELU, KernelThreading.CALLER_ONLY,
                KernelInstructions.VECTOR_API).channelBlockRows());
        assertEquals(0, SparseConvolution.of(five, weights, null, FusedActivation.RELU, KernelThreading.CALLER_ONLY,
                KernelInstructions.VECTOR_API, ChannelBlocking.NEVER).channelBlockRows());
    }

    @Test
    void shrunkNetworkShapesMatchOneChannelAtATimeAndTheReference() {
        // the 70 %-shrunk ResNet-56's stride-1 layers and their neighbours in channel count, every epilogue
        Random random = new Random(41);
        int[][] layers = {{5, 5, 32}, {10, 10, 16}, {20, 20, 8}, {3, 5, 32}, {5, 10, 16}, {10, 15, 8}, {1, 25, 4},
                {2, 5, 2}, {3, 10, 1}, {12, 5, 5}};
        for (int[] layer : layers) {
            ConvolutionShape s = new ConvolutionShape(layer[0], layer[2], layer[2], layer[1], 3, 3, 1, 1, 1, 1,
                    layer[2], layer[2]);
            for (int epilogue = 0; epilogue < 4; epilogue++) {
                for (double sparsity : new double[] {0.0, 0.5}) {
                    check(new Layer(s, sparsity, random, (epilogue & 1) != 0, (epilogue & 2) != 0, false));
                }
            }
        }
    }

    @Test
    void randomShapesWithOneToThreeAndMultiplesOfFiveChannels() {
        Random random = new Random(42);
        int[] outChannels = {1, 2, 3, 5, 10, 15, 25};
        for (int trial = 0; trial < 60; trial++) {
            ConvolutionShape r = DenseReference.randomLayerShape(random, 1);
            ConvolutionShape s = new ConvolutionShape(random.nextBoolean() ? 1 + random.nextInt(3) : r.inChannels(),
                    r.inHeight(), r.inWidth(), outChannels[random.nextInt(outChannels.length)], r.kernelHeight(),
                    r.kernelWidth(), r.strideHeight(), r.strideWidth(), r.padTop(), r.padLeft(), r.outHeight(),
                    r.outWidth());
            double sparsity = new double[] {0.0, 0.3, 0.8}[random.nextInt(3)];
            check(new Layer(s, sparsity, random, random.nextBoolean(), random.nextBoolean(), false));
        }
    }

    @Test
    void fourRowBlocksOnRunsOfFiveAndNineVectors() {
        // 3x3 stride 1 at padded width: 8x8 -> 80 floats (5 vectors of 16), 8x16 -> 144 (9): one 5-vector step
        // first; 8 and 20 channels (blocks of 4), every epilogue
        Random random = new Random(44);
        int[][] planes = {{8, 8}, {8, 16}};
        for (int[] plane : planes) {
            for (int channels : new int[] {8, 20}) {
                ConvolutionShape s = new ConvolutionShape(1 + random.nextInt(12), plane[0], plane[1], channels, 3, 3,
                        1, 1, 1, 1, plane[0], plane[1]);
                for (int epilogue = 0; epilogue < 4; epilogue++) {
                    check(new Layer(s, epilogue == 3 ? 0.5 : 0.0, random, (epilogue & 1) != 0, (epilogue & 2) != 0,
                            false));
                }
            }
        }
    }

    @Test
    void zeroInputsAndZeroWeightRows() {
        // a zero plane gives act(bias + residual); a block whose rows have no weight at all, or one such row
        Random random = new Random(43);
        ConvolutionShape s = new ConvolutionShape(4, 16, 16, 10, 3, 3, 1, 1, 1, 1, 16, 16);
        check(new Layer(s, 0.0, random, true, true, true));
        check(new Layer(s, 0.0, random, false, false, true));
        Layer rows = new Layer(s, 0.0, random, true, false, false);
        Arrays.fill(rows.weights, 0, 5 * s.patchSize(), 0f);
        Arrays.fill(rows.weights, 7 * s.patchSize(), 8 * s.patchSize(), 0f);
        check(rows.withExpected());
    }

    @Test
    void badInputIsRefused() {
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class, () -> ChannelBlocks.of(
                CsrMatrix.fromDense(new float[12], 3, 4), c -> c, 3));
        assertTrue(rows.getMessage().contains("rows must be 4 or 5, got 3"), rows.getMessage());
        ConvolutionShape s = new ConvolutionShape(5, 8, 8, 5, 3, 3, 1, 1, 1, 1, 8, 8);
        SparseConvolution conv = SparseConvolution.of(s, DenseReference.sparseWeights(new Random(3), 5,
                s.patchSize(), 0.0), null, FusedActivation.RELU, KernelThreading.CALLER_ONLY,
                KernelInstructions.VECTOR_API, ChannelBlocking.ALWAYS);
        IllegalArgumentException input = assertThrows(IllegalArgumentException.class, () -> conv.forward(
                new float[s.inputSize() - 1], 1, new float[s.outputSize()]));
        assertTrue(input.getMessage().contains("input must have length"), input.getMessage());
        IllegalArgumentException output = assertThrows(IllegalArgumentException.class, () -> conv.forward(
                new float[s.inputSize()], 1, new float[s.outputSize() + 1]));
        assertTrue(output.getMessage().contains("output must have length"), output.getMessage());
        IllegalArgumentException residual = assertThrows(IllegalArgumentException.class, () -> conv.forward(
                new float[s.inputSize()], null, 1, new float[s.outputSize()], null, new float[3]));
        assertTrue(residual.getMessage().contains("residual must have the output's length"), residual.getMessage());
    }

    /**
     * NEVER (one channel at a time), AUTO and ALWAYS with the Vector API give the same bits; every one of them, and
     * the scalar kernels, within the tolerance of the double reference.
     */
    private static void check(Layer c) {
        float[] rows = c.run(KernelInstructions.VECTOR_API, ChannelBlocking.NEVER);
        for (ChannelBlocking blocking : new ChannelBlocking[] {ChannelBlocking.AUTO, ChannelBlocking.ALWAYS}) {
            assertArrayEquals(rows, c.run(KernelInstructions.VECTOR_API, blocking), blocking + " " + c.what());
        }
        for (KernelInstructions instructions : KernelInstructions.values()) {
            for (ChannelBlocking blocking : ChannelBlocking.values()) {
                double error = DenseReference.maxError(c.run(instructions, blocking), c.expected);
                assertTrue(error < TOLERANCE, instructions + " " + blocking + " " + c.what() + ": error " + error);
            }
        }
    }

    /** One layer with data; stride-1 layers read and write padded rows, the others plain NCHW. */
    private static final class Layer {
        final ConvolutionShape shape;
        final double sparsity;
        final float[] weights;
        final float[] bias;
        final int batch;
        final float[] input;
        final float[] residual;
        final boolean relu;
        float[] expected;

        Layer(ConvolutionShape s, double sparsity, Random random, boolean relu, boolean withResidual,
              boolean zeroInput) {
            this.shape = s;
            this.sparsity = sparsity;
            this.weights = DenseReference.sparseWeights(random, s.outChannels(), s.patchSize(), sparsity);
            this.bias = DenseReference.gaussian(random, s.outChannels());
            this.batch = 1 + random.nextInt(3);
            this.input = zeroInput ? new float[batch * s.inputSize()] : DenseReference.gaussian(random, batch
                    * s.inputSize());
            this.residual = withResidual ? DenseReference.gaussian(random, batch * s.outputSize()) : null;
            this.relu = relu;
            withExpected();
        }

        /** Recomputes the reference (after the weights were changed). */
        Layer withExpected() {
            float[] e = DenseReference.convolution(shape, weights, bias, input, batch, false);
            for (int i = 0; i < e.length; i++) {
                float sum = e[i] + (residual == null ? 0f : residual[i]);
                e[i] = relu ? Math.max(0f, sum) : sum;
            }
            this.expected = e;
            return this;
        }

        /** The padded layout of the output when the convolution writes it (its own input layout's geometry). */
        PlaneLayout target() {
            int wp = shape.outWidth() + shape.kernelWidth() - 1;
            return new PlaneLayout(shape.outHeight(), shape.outWidth(), 1, shape.kernelWidth() / 2, wp,
                    shape.outHeight() + shape.kernelHeight());
        }

        float[] run(KernelInstructions instructions, ChannelBlocking blocking) {
            SparseConvolution conv = SparseConvolution.of(shape, weights, bias, relu ? FusedActivation.RELU
                    : FusedActivation.IDENTITY, KernelThreading.CALLER_ONLY, instructions, blocking);
            PlaneLayout in = conv.inputLayout();
            PlaneLayout out = conv.writesLayout(target()) ? target() : null;
            float[] source = in == null ? input : in.pad(input, shape.inChannels());
            float[] output = new float[batch * (out == null ? shape.outputSize() : shape.outChannels()
                    * out.planeSize())];
            Arrays.fill(output, Float.NaN);
            float[] term = residual == null || out == null ? residual : out.pad(residual, shape.outChannels());
            conv.forward(source, in, batch, output, out, term);
            if (out != null) {
                for (int i = 0; i < output.length; i++) {
                    int row = i % out.planeSize() / out.rowWidth();
                    int column = i % out.rowWidth();
                    boolean image = row >= out.padTop() && row < out.padTop() + out.height()
                            && column >= out.padLeft() && column < out.padLeft() + out.width();
                    if (!image) {
                        assertEquals(0f, output[i], "border value at " + i + " must be zero: " + what());
                    }
                }
                return out.unpad(output, shape.outChannels());
            }
            return output;
        }

        String what() {
            return shape + " sparsity " + sparsity + " batch " + batch + " relu " + relu + " residual "
                    + (residual != null);
        }
    }
}
