package org.rpg4j.sparse.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Output channels computed four at a time ({@link ChannelBlocks}, {@link ChannelBlocking}): the union of the
 * block's taps by hand, outputs bit-identical to one channel at a time with the Vector API and within the
 * dense reference's tolerance with both instruction sets, on every layout, epilogue, threading and tail.
 */
class ChannelBlocksTest {

    /** Sums of up to 12 x 5 x 5 = 300 N(0, 1) products in float32 against the double reference. */
    private static final double TOLERANCE = 5e-5;
    private static final double[] SPARSITIES = {0.0, 0.3, 0.5, 0.8, 0.95, 1.0};

    @Test
    void handComputedUnionOfTheBlocksTaps() {
        // 5 rows x 6 columns; block 0 = rows 0-3: row 0 has columns 0 and 2, row 1 columns 2 and 3, row 2 none,
        // row 3 column 5 -> union {0, 2, 3, 5}, 4 taps x 4 rows = 16 stored weights for 5 non-zeros (fill 3.2).
        // Row 4 is not in a whole block.
        float[] dense = {
                1, 0, 2, 0, 0, 0,
                0, 0, 3, 4, 0, 0,
                0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 5,
                6, 6, 6, 6, 6, 6};
        ChannelBlocks blocks = ChannelBlocks.of(CsrMatrix.fromDense(dense, 5, 6), column -> 10 * column);
        assertEquals(1, blocks.blocks());
        assertArrayEquals(new int[] {0, 4}, blocks.blockStart());
        assertArrayEquals(new int[] {0, 20, 30, 50}, blocks.offsets());
        assertArrayEquals(new float[] {
                1, 0, 0, 0, // column 0
                2, 3, 0, 0, // column 2
                0, 4, 0, 0, // column 3
                0, 0, 0, 5}, // column 5
                blocks.values());
        assertEquals(16.0 / 5.0, blocks.fill(), 1e-12);
        assertTrue(ChannelBlocking.ALWAYS.uses(blocks.fill(), 1));
        assertFalse(ChannelBlocking.AUTO.uses(blocks.fill(), 100), "3.2 stored weights per non-zero is above 3");
        assertTrue(ChannelBlocking.AUTO.uses(2.9, 64));
        assertFalse(ChannelBlocking.AUTO.uses(1.0, 63), "runs below 64 floats stay per row");
        assertFalse(ChannelBlocking.NEVER.uses(1.0, 100));
        assertEquals(Double.POSITIVE_INFINITY, ChannelBlocks.of(CsrMatrix.fromDense(new float[24], 4, 6), c -> c)
                .fill());
    }

    @Test
    void blocksGiveTheSameBitsAsOneChannelAtATime() {
        // Vector API: the same fused multiply-adds per lane in the same order, a stored zero adds nothing.
        Random random = new Random(31);
        int blocked = 0;
        for (int trial = 0; trial < 50; trial++) {
            ConvolutionShape s = DenseReference.randomLayerShape(random, 13);
            for (double sparsity : SPARSITIES) {
                Case c = new Case(s, sparsity, random);
                KernelThreading threading = KernelThreading.values()[random.nextInt(2)];
                SparseConvolution rows = c.convolution(threading, KernelInstructions.VECTOR_API,
                        ChannelBlocking.NEVER);
                SparseConvolution blocks = c.convolution(threading, KernelInstructions.VECTOR_API,
                        ChannelBlocking.ALWAYS);
                assertFalse(rows.usesChannelBlocks());
                blocked += blocks.usesChannelBlocks() ? 1 : 0;
                assertArrayEquals(c.run(rows), c.run(blocks), c.what());
            }
        }
        assertTrue(blocked >= 100, "blocks used in only " + blocked + " of 300 layers");
    }

    @Test
    void blocksMatchTheDenseReferenceWithBothInstructionSets() {
        Random random = new Random(32);
        for (int trial = 0; trial < 40; trial++) {
            ConvolutionShape s = DenseReference.randomLayerShape(random, 13);
            for (double sparsity : SPARSITIES) {
                Case c = new Case(s, sparsity, random);
                for (KernelInstructions instructions : KernelInstructions.values()) {
                    SparseConvolution conv = c.convolution(KernelThreading.values()[random.nextInt(2)], instructions,
                            ChannelBlocking.ALWAYS);
                    double error = DenseReference.maxError(c.plain(conv, c.run(conv)), c.expected);
                    assertTrue(error < TOLERANCE, instructions + " " + c.what() + ": error " + error);
                }
            }
        }
    }

    @Test
    void smallPlanesAndLongRunsUseEveryStepOfTheBlockKernel() {
        // Runs at padded width: 2x2 -> 8 (scalars only with 16 lanes), 4x4 -> 24 (a vector and 8 scalars),
        // 5x5 -> 35 (tail of 3 scalars), 16x16 -> 288 (four 4-vector steps and a 2-vector step), 32x32 -> 1088;
        // 1x1 pointwise and stride 2 (patches); 4 to 13 output channels (a partial block at the end).
        Random random = new Random(33);
        int[][] geometries = {{2, 3, 1}, {4, 3, 1}, {5, 3, 1}, {16, 3, 1}, {32, 3, 1}, {7, 1, 1}, {9, 3, 2}};
        for (int[] g : geometries) {
            int size = g[0];
            int k = g[1];
            int stride = g[2];
            int pad = k / 2;
            int out = (size + 2 * pad - k) / stride + 1;
            ConvolutionShape s = new ConvolutionShape(1 + random.nextInt(9), size, size, 4 + random.nextInt(10), k, k,
                    stride, stride, pad, pad, out, out);
            for (double sparsity : new double[] {0.0, 0.5}) {
                Case c = new Case(s, sparsity, random);
                SparseConvolution rows = c.convolution(KernelThreading.CALLER_ONLY, KernelInstructions.VECTOR_API,
                        ChannelBlocking.NEVER);
                SparseConvolution auto = c.convolution(KernelThreading.CALLER_ONLY, KernelInstructions.VECTOR_API,
                        ChannelBlocking.AUTO);
                SparseConvolution blocks = c.convolution(KernelThreading.CALLER_ONLY, KernelInstructions.VECTOR_API,
                        ChannelBlocking.ALWAYS);
                assertTrue(blocks.usesChannelBlocks(), c.what());
                int run = stride == 1 && k > 1 ? out * (out + k - 1) : out * out;
                if (sparsity == 0) {
                    assertEquals(run >= ChannelBlocking.AUTO_MIN_RUN, auto.usesChannelBlocks(),
                            "AUTO blocks a dense layer whose runs are long enough: " + c.what());
                }
                float[] out1 = c.run(blocks);
                assertArrayEquals(c.run(rows), out1, c.what());
                double error = DenseReference.maxError(c.plain(blocks, out1), c.expected);
                assertTrue(error < TOLERANCE, c.what() + ": error " + error);
            }
        }
    }

    @Test
    void autoBlocksDenseLayersButNotVerySparseOnes() {
        Random random = new Random(34);
        ConvolutionShape s = new ConvolutionShape(16, 8, 8, 16, 3, 3, 1, 1, 1, 1, 8, 8);
        float[] dense = DenseReference.sparseWeights(random, 16, s.patchSize(), 0.0);
        float[] sparse = DenseReference.sparseWeights(random, 16, s.patchSize(), 0.95);
        assertTrue(SparseConvolution.of(s, dense, null, FusedActivation.IDENTITY, KernelThreading.CALLER_ONLY)
                .usesChannelBlocks());
        assertFalse(SparseConvolution.of(s, sparse, null, FusedActivation.IDENTITY, KernelThreading.CALLER_ONLY)
                .usesChannelBlocks());
        assertFalse(SparseConvolution.of(s, dense, null, FusedActivation.IDENTITY, KernelThreading.CALLER_ONLY,
                KernelInstructions.SCALAR).usesChannelBlocks(), "the scalar loops stay per row under AUTO");
        assertTrue(SparseConvolution.of(s, dense, null, FusedActivation.IDENTITY, KernelThreading.CALLER_ONLY,
                KernelInstructions.SCALAR, ChannelBlocking.ALWAYS).usesChannelBlocks());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparseConvolution.of(s,
                dense, null, FusedActivation.IDENTITY, KernelThreading.CALLER_ONLY, KernelInstructions.SCALAR, null));
        assertTrue(e.getMessage().contains("blocking must not be null"), e.getMessage());
    }

    /**
     * Every epilogue (ReLU or not, residual or not) on planes whose runs take the block kernel's 4-, 2- and 1-vector
     * steps and the per-row kernel's 8- and 4-vector blocks and tail (32x32, 16x16, 8x8, 5x5): the block kernels store
     * their sums and then apply the residual and the ReLU to the stored block, which must give the per-row kernel's
     * bits and match the dense reference.
     */
    @Test
    void everyEpilogueOnEveryStepMatchesTheReference() {
        Random random = new Random(34);
        for (int size : new int[] {32, 16, 8, 5}) {
            ConvolutionShape s = new ConvolutionShape(3, size, size, 4 + random.nextInt(6), 3, 3, 1, 1, 1, 1, size,
                    size);
            for (int epilogue = 0; epilogue < 4; epilogue++) {
                Case c = new Case(s, 0.7, random, (epilogue & 1) != 0, (epilogue & 2) != 0);
                SparseConvolution rows = c.convolution(KernelThreading.CALLER_ONLY, KernelInstructions.VECTOR_API,
                        ChannelBlocking.NEVER);
                SparseConvolution blocks = c.convolution(KernelThreading.CALLER_ONLY, KernelInstructions.VECTOR_API,
                        ChannelBlocking.ALWAYS);
                float[] out = c.run(blocks);
                assertArrayEquals(c.run(rows), out, c.what());
                double error = DenseReference.maxError(c.plain(blocks, out), c.expected);
                assertTrue(error < TOLERANCE, c.what() + ": error " + error);
                if (c.relu) {
                    float[] plain = c.plain(blocks, out);
                    for (float v : plain) {
                        assertTrue(v >= 0f, c.what() + ": negative output " + v);
                    }
                }
            }
        }
    }

    /** One random layer with data, a residual or not, an activation, and input/output layouts chosen at random. */
    private static final class Case {
        final ConvolutionShape shape;
        final double sparsity;
        final float[] weights;
        final float[] bias;
        final int batch;
        final float[] input;
        final float[] residual;
        final boolean relu;
        final boolean paddedIn;
        final boolean paddedOut;
        final PlaneLayout target;
        final float[] expected;

        Case(ConvolutionShape s, double sparsity, Random random) {
            this(s, sparsity, random, random.nextBoolean(), random.nextBoolean());
        }

        Case(ConvolutionShape s, double sparsity, Random random, boolean relu, boolean withResidual) {
            this.shape = s;
            this.sparsity = sparsity;
            this.weights = DenseReference.sparseWeights(random, s.outChannels(), s.patchSize(), sparsity);
            this.bias = random.nextBoolean() ? DenseReference.gaussian(random, s.outChannels()) : null;
            this.batch = 1 + random.nextInt(2);
            this.input = DenseReference.gaussian(random, batch * s.inputSize());
            this.residual = withResidual ? DenseReference.gaussian(random, batch * s.outputSize()) : null;
            this.relu = relu;
            this.paddedIn = random.nextBoolean();
            this.paddedOut = random.nextBoolean();
            int wp = s.outWidth() + s.kernelWidth() - 1;
            int padLeft = random.nextInt(wp - s.outWidth() + 1);
            this.target = new PlaneLayout(s.outHeight(), s.outWidth(), random.nextInt(2), padLeft, wp,
                    s.outHeight() + 2 + random.nextInt(2));
            float[] e = DenseReference.convolution(s, weights, bias, input, batch, false);
            for (int i = 0; i < e.length; i++) {
                float sum = e[i] + (residual == null ? 0f : residual[i]);
                e[i] = relu ? Math.max(0f, sum) : sum;
            }
            this.expected = e;
        }

        SparseConvolution convolution(KernelThreading threading, KernelInstructions instructions,
                                      ChannelBlocking blocking) {
            return SparseConvolution.of(shape, weights, bias, relu ? FusedActivation.RELU : FusedActivation.IDENTITY,
                    threading, instructions, blocking);
        }

        /** @return the output in the layout the convolution wrote (padded when it and the case allow) */
        float[] run(SparseConvolution conv) {
            PlaneLayout in = paddedIn ? conv.inputLayout() : null;
            PlaneLayout out = paddedOut && conv.writesLayout(target) ? target : null;
            float[] source = in == null ? input : in.pad(input, shape.inChannels());
            float[] output = new float[batch * (out == null ? shape.outputSize() : shape.outChannels()
                    * out.planeSize())];
            Arrays.fill(output, Float.NaN);
            float[] term = residual == null || out == null ? residual : out.pad(residual, shape.outChannels());
            conv.forward(source, in, batch, output, out, term);
            return output;
        }

        /** @return {@code output} of {@link #run} as plain NCHW */
        float[] plain(SparseConvolution conv, float[] output) {
            return paddedOut && conv.writesLayout(target) ? target.unpad(output, shape.outChannels()) : output;
        }

        String what() {
            return shape + " sparsity " + sparsity + " batch " + batch + " relu " + relu + " residual "
                    + (residual != null) + " padded in " + paddedIn + " out " + paddedOut;
        }
    }
}
