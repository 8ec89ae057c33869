package org.rpg4j.sparse.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link RowKernel#planeBlocks}: the channel blocks over the image positions of a plane computed at padded width.
 * Against the block kernels over the whole run ({@link RowKernel#blocks}, {@link RowKernel#wideBlocks}) on the same
 * data: the same bits wherever the run's kernel uses vectors, within {@link DenseReference#TAIL_ROUNDING} in its
 * scalar tail, and every padding column left as it was (the row-vector steps skip it; the fallback writes it). The
 * shrunk ResNet-56's planes (5 channels 32x32, 10 channels 16x16, 20 channels 8x8), the dense one's (16 and 32
 * channels), one input channel, planes of 5 and 6 vectors (a last step overlapping the previous one), rows of three
 * vectors, widths that are not whole vectors, every epilogue, both instruction sets.
 */
class PlaneBlocksTest {

    @Test
    void shrunkAndDenseResNetPlanes() {
        Random random = new Random(51);
        // {inChannels, outChannels, height, width}
        int[][] planes = {{5, 5, 32, 32}, {10, 10, 16, 16}, {20, 20, 8, 8}, {16, 16, 32, 32}, {32, 32, 16, 16},
                {1, 5, 16, 16}, {1, 4, 32, 32}};
        for (int[] p : planes) {
            for (int epilogue = 0; epilogue < 4; epilogue++) {
                check(new Plane(random, p[0], p[1], p[2], p[3], 3, (epilogue & 1) != 0, (epilogue & 2) != 0));
            }
        }
    }

    @Test
    void overlappingLastStepsWideRowsAndOtherWidths() {
        Random random = new Random(52);
        // 16 x 5 rows = 5 vectors, 32 x 3 = 6, 48 x 2 = 6 (three per row), 16 x 1 and 16 x 3 (below four vectors:
        // the whole run), widths 17 and 20 (not whole vectors: the whole run), kernels 1 to 5 wide
        int[][] planes = {{5, 16}, {3, 32}, {2, 48}, {1, 16}, {3, 16}, {4, 17}, {6, 20}, {7, 64}};
        for (int[] p : planes) {
            for (int k = 1; k <= 5; k += 2) {
                int in = 1 + random.nextInt(6);
                int out = random.nextBoolean() ? 5 * (1 + random.nextInt(3)) : 4 * (1 + random.nextInt(3));
                check(new Plane(random, in, out, p[0], p[1], k, random.nextBoolean(), random.nextBoolean()));
            }
        }
    }

    private static void check(Plane p) {
        for (KernelInstructions instructions : KernelInstructions.values()) {
            if (!instructions.available()) {
                continue;
            }
            RowKernel kernel = instructions.kernel();
            // the scalar kernel's planeBlocks is its blocks (the same bits everywhere); the Vector API kernel's
            // scalar tail is at most the run's last 15 positions; with 16 lanes (hasWideBlocks) a plane of whole
            // vectors, four or more, is computed by rows and must leave every padding column alone
            boolean vector = instructions == KernelInstructions.VECTOR_API;
            int tail = vector ? 16 : 1;
            boolean skipsPadding = vector && kernel.hasWideBlocks() && p.width % 16 == 0 && p.height * p.width / 16 >= 4
                    && p.k > 1;
            for (int rows : new int[] {ChannelBlocks.ROWS, ChannelBlocks.WIDE_ROWS}) {
                if (p.out < rows || rows == ChannelBlocks.WIDE_ROWS && !kernel.hasWideBlocks()) {
                    continue;
                }
                ChannelBlocks blocks = ChannelBlocks.of(p.weights, p::offset, rows);
                float[] whole = p.output();
                float[] plane = p.output();
                if (rows == ChannelBlocks.WIDE_ROWS) {
                    kernel.wideBlocks(blocks.values(), blocks.offsets(), blocks.blockStart(), 0, blocks.blocks(),
                            p.source, 0, p.bias, p.relu, p.residual, 0, whole, 0, p.run(), p.run());
                } else {
                    kernel.blocks(blocks.values(), blocks.offsets(), blocks.blockStart(), 0, blocks.blocks(),
                            p.source, 0, p.bias, p.relu, p.residual, 0, whole, 0, p.run(), p.run());
                }
                kernel.planeBlocks(rows, blocks.values(), blocks.offsets(), blocks.blockStart(), 0, blocks.blocks(),
                        p.source, 0, p.bias, p.relu, p.residual, 0, plane, 0, p.run(), p.height, p.width,
                        p.rowWidth());
                p.compare(whole, plane, rows * blocks.blocks(), tail, skipsPadding, instructions + " rows " + rows);
            }
        }
    }

    /** A stride-1 k x k layer's blocks over one padded plane per channel, with seeded data. */
    private static final class Plane {
        final int in;
        final int out;
        final int height;
        final int width;
        final int k;
        final boolean relu;
        final CsrMatrix weights;
        final float[] bias;
        final float[] source;
        final float[] residual;

        Plane(Random random, int in, int out, int height, int width, int k, boolean relu, boolean withResidual) {
            this.in = in;
            this.out = out;
            this.height = height;
            this.width = width;
            this.k = k;
            this.relu = relu;
            this.weights = CsrMatrix.fromDense(DenseReference.gaussian(random, out * in * k * k), out, in * k * k);
            this.bias = DenseReference.gaussian(random, out);
            this.source = DenseReference.gaussian(random, in * sourcePlane());
            this.residual = withResidual ? DenseReference.gaussian(random, out * run()) : null;
        }

        int rowWidth() {
            return width + k - 1;
        }

        int run() {
            return height * rowWidth();
        }

        /** Rows of one source plane: the output rows plus the kernel's (as ConvolutionLayout's padded plane). */
        int sourcePlane() {
            return (height + k) * rowWidth();
        }

        /** Column {@code c * k * k + ky * k + kx} read at {@code c * plane + ky * rowWidth + kx}. */
        int offset(int column) {
            int c = column / (k * k);
            int ky = column % (k * k) / k;
            int kx = column % k;
            return c * sourcePlane() + ky * rowWidth() + kx;
        }

        float[] output() {
            float[] o = new float[out * run()];
            Arrays.fill(o, Float.NaN);
            return o;
        }

        /** Image positions as the whole run's kernel computed them; padding columns NaN or the whole run's. */
        void compare(float[] whole, float[] plane, int blockedRows, int tail, boolean skipsPadding, String how) {
            int vectorEnd = run() - run() % tail;
            for (int r = 0; r < out; r++) {
                for (int i = 0; i < run(); i++) {
                    int at = r * run() + i;
                    String what = how + " " + this + " channel " + r + " position " + i;
                    if (r >= blockedRows) {
                        assertTrue(Float.isNaN(plane[at]), "rows outside the blocks are not written: " + what);
                    } else if (i % rowWidth() >= width) {
                        assertTrue(Float.isNaN(plane[at]) || !skipsPadding && Float.floatToIntBits(plane[at]) == Float
                                .floatToIntBits(whole[at]), "padding column left or as the whole run: " + what);
                    } else if (i < vectorEnd) {
                        assertEquals(Float.floatToIntBits(whole[at]), Float.floatToIntBits(plane[at]), what);
                    } else {
                        assertTrue(DenseReference.sameUpToTailRounding(new float[] {whole[at]},
                                new float[] {plane[at]}), what + ": " + whole[at] + " against " + plane[at]);
                    }
                }
            }
        }

        @Override
        public String toString() {
            return in + "->" + out + " " + height + "x" + width + " k" + k + " relu " + relu + " residual "
                    + (residual != null);
        }
    }
}
