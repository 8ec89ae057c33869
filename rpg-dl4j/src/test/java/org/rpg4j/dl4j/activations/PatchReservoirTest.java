package org.rpg4j.dl4j.activations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PatchReservoirTest {
    private static ConvolutionLayer conv(int nIn, int kernel, ConvolutionMode mode, int padding) {
        return new ConvolutionLayer.Builder(kernel, kernel).nIn(nIn).nOut(4).padding(padding, padding)
                .convolutionMode(mode).build();
    }

    @Test
    void patchesAreTheWindowsTheConvolutionReads() {
        // input 1x1x3x3 = [[1,2,3],[4,5,6],[7,8,9]], 3x3 kernel, Same mode: 9 output positions, all kept
        PatchReservoir r = PatchReservoir.of(conv(1, 3, ConvolutionMode.Same, 0), 9, 1);
        r.offer(Nd4j.arange(1, 10).castTo(DataType.FLOAT).reshape(1, 1, 3, 3));
        INDArray rows = r.sample();
        assertEquals(9, rows.rows());
        boolean centre = false;
        boolean corner = false;
        for (int i = 0; i < 9; i++) {
            float[] row = rows.getRow(i).toFloatVector();
            // the centre window is the whole image; the top-left one hangs over the zero padding
            centre |= java.util.Arrays.equals(row, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
            corner |= java.util.Arrays.equals(row, new float[] {0, 0, 0, 0, 1, 2, 0, 4, 5});
        }
        assertTrue(centre && corner, rows.toString());
    }

    @Test
    void truncateModeWithStrideSkipsPositions() {
        // 1x1x4x4 = 0..15, 2x2 kernel, stride 2, no padding: 4 windows, the first [0, 1, 4, 5]
        ConvolutionLayer c = new ConvolutionLayer.Builder(2, 2).stride(2, 2).nIn(1).nOut(1)
                .convolutionMode(ConvolutionMode.Truncate).build();
        PatchReservoir r = PatchReservoir.of(c, 10, 1);
        r.offer(Nd4j.arange(0, 16).castTo(DataType.FLOAT).reshape(1, 1, 4, 4));
        assertEquals(4, r.retainedRows());
        assertArrayEquals(new float[] {0, 1, 4, 5}, r.sample().getRow(0).toFloatVector());
        assertArrayEquals(new float[] {10, 11, 14, 15}, r.sample().getRow(3).toFloatVector());
    }

    @Test
    void memoryStaysBoundedOnResNet56SizedActivations() {
        // ResNet-56's first stage: [batch, 16, 32, 32] activations into 3x3 convolutions; 6 batches of 32
        int capacity = 2000;
        PatchReservoir r = PatchReservoir.of(conv(16, 3, ConvolutionMode.Same, 0), capacity, 5);
        long fixed = r.retainedBytes();
        assertEquals(4L * capacity * 16 * 9, fixed);
        Nd4j.getRandom().setSeed(1);
        INDArray batch = Nd4j.rand(DataType.FLOAT, 32, 16, 32, 32);
        for (int b = 1; b <= 6; b++) {
            r.offer(batch);
            assertEquals(capacity, r.retainedRows());
            assertEquals(b * 32L * 32 * 32, r.seenPositions());
            assertEquals(fixed, r.retainedBytes());
        }
        assertArrayEquals(new long[] {capacity, 16 * 9}, r.sample().shape());
    }

    @Test
    void reservoirSamplesUniformly() {
        // 1 channel, 1x1 kernel over a 1x1x10x10 input whose value is the position index: after 50 batches,
        // each of the 100 positions should fill about capacity/100 * ... of the slots; check the mean index
        PatchReservoir r = PatchReservoir.of(conv(1, 1, ConvolutionMode.Truncate, 0), 500, 3);
        INDArray input = Nd4j.arange(0, 100).castTo(DataType.FLOAT).reshape(1, 1, 10, 10);
        for (int b = 0; b < 50; b++) {
            r.offer(input);
        }
        // uniform over 0..99: mean 49.5, standard error of the mean of 500 draws ~ 28.9 / sqrt(500) = 1.3
        assertEquals(49.5, r.sample().meanNumber().doubleValue(), 5.0);
    }

    @Test
    void rowsOfADenseLayerAreWholeImages() {
        PatchReservoir r = PatchReservoir.ofRows(6, 4, 1);
        r.offer(Nd4j.arange(0, 12).castTo(DataType.FLOAT).reshape(2, 3, 2, 1));
        assertArrayEquals(new long[] {2, 6}, r.sample().shape());
        assertArrayEquals(new float[] {6, 7, 8, 9, 10, 11}, r.sample().getRow(1).toFloatVector());
        assertThrows(IllegalArgumentException.class, () -> r.offer(Nd4j.zeros(DataType.FLOAT, 2, 5)));
        assertThrows(IllegalArgumentException.class, () -> PatchReservoir.ofRows(6, 0, 1));
    }
}
