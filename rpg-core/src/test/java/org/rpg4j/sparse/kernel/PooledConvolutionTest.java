package org.rpg4j.sparse.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link SparseConvolution#forwardPooled}: the convolution then 2x2 max pooling, against the double reference. */
class PooledConvolutionTest {

    private static final double TOLERANCE = 1e-5;

    @Test
    void matchesReferenceConvolutionThenPoolingOnRandomShapesIncludingOddSizes() {
        Random random = new Random(31);
        int tested = 0;
        for (int trial = 0; trial < 80; trial++) {
            int k = 1 + 2 * random.nextInt(2);
            int pad = random.nextInt(k);
            int h = 2 + random.nextInt(11);
            int w = 2 + random.nextInt(11);
            int outH = h + 2 * pad - k + 1;
            int outW = w + 2 * pad - k + 1;
            if (outH < 2 || outW < 2) {
                continue;
            }
            ConvolutionShape s = new ConvolutionShape(1 + random.nextInt(6), h, w, 1 + random.nextInt(10), k, k, 1, 1,
                    pad, pad, outH, outW);
            float[] weights = DenseReference.sparseWeights(random, s.outChannels(), s.patchSize(), 0.3);
            float[] bias = DenseReference.gaussian(random, s.outChannels());
            int batch = 1 + random.nextInt(3);
            boolean relu = random.nextBoolean();
            float[] input = DenseReference.gaussian(random, batch * s.inputSize());
            float[] expected = pool(DenseReference.convolution(s, weights, bias, input, batch, relu), batch
                    * s.outChannels(), outH, outW);
            for (KernelInstructions instructions : KernelInstructions.values()) {
                SparseConvolution conv = SparseConvolution.of(s, weights, bias, relu ? FusedActivation.RELU
                        : FusedActivation.IDENTITY, KernelThreading.values()[trial % 2], instructions);
                if (!conv.poolsOutput()) {
                    continue;
                }
                tested++;
                String what = instructions + " " + s + " batch " + batch;
                float[] plain = new float[batch * s.outChannels() * (outH / 2) * (outW / 2)];
                Arrays.fill(plain, Float.NaN);
                conv.forwardPooled(input, null, batch, plain, null);
                assertTrue(DenseReference.maxError(plain, expected) < TOLERANCE, what);
                // into a padded layout, from the padded input layout, over stale values
                PlaneLayout target = new PlaneLayout(outH / 2, outW / 2, 1, 2, outW / 2 + 3, outH / 2 + 2);
                float[] padded = new float[batch * s.outChannels() * target.planeSize()];
                Arrays.fill(padded, Float.NaN);
                PlaneLayout inLayout = conv.inputLayout();
                float[] in = inLayout == null ? input : inLayout.pad(input, s.inChannels());
                conv.forwardPooled(in, inLayout, batch, padded, target);
                assertTrue(DenseReference.maxError(target.unpad(padded, s.outChannels()), expected) < TOLERANCE, what);
                assertArrayEquals(target.pad(target.unpad(padded, s.outChannels()), s.outChannels()), padded,
                        what + ": borders zero");
            }
        }
        assertTrue(tested > 40, "kernels that pool: " + tested);
    }

    @Test
    void refusesWhatItCannotPoolAndBadArguments() {
        ConvolutionShape s = new ConvolutionShape(2, 6, 6, 3, 3, 3, 1, 1, 1, 1, 6, 6);
        Random random = new Random(5);
        float[] weights = DenseReference.sparseWeights(random, 3, s.patchSize(), 0.2);
        SparseConvolution conv = SparseConvolution.of(s, weights, null, FusedActivation.RELU,
                KernelThreading.CALLER_ONLY);
        assertTrue(conv.poolsOutput());
        float[] input = new float[2 * s.inputSize()];
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class, () -> conv.forwardPooled(
                input, null, 2, new float[2 * 3 * 9 + 1], null));
        assertTrue(length.getMessage().contains("output must have length batch * outChannels * pooled plane = 54, "
                + "got 55"), length.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> conv.forwardPooled(input,
                null, 2, new float[54], new PlaneLayout(4, 3, 0, 0, 3, 4)));
        assertTrue(size.getMessage().contains("outputLayout must be of the pooled size 3x3"), size.getMessage());
        assertThrows(IllegalArgumentException.class, () -> conv.forwardPooled(input, null, 0, new float[0], null));
        assertThrows(IllegalArgumentException.class, () -> conv.forwardPooled(new float[3], null, 2, new float[54],
                null));
        // no non-zero weight: no accumulator pass to pool
        SparseConvolution empty = SparseConvolution.of(s, new float[weights.length], null, FusedActivation.RELU,
                KernelThreading.CALLER_ONLY);
        assertFalse(empty.poolsOutput());
        IllegalStateException state = assertThrows(IllegalStateException.class, () -> empty.forwardPooled(input,
                null, 2, new float[54], null));
        assertTrue(state.getMessage().contains("poolsOutput"), state.getMessage());
        // a 1x1 output has no 2x2 window
        ConvolutionShape tiny = new ConvolutionShape(2, 3, 3, 3, 3, 3, 1, 1, 0, 0, 1, 1);
        assertFalse(SparseConvolution.of(tiny, weights, null, FusedActivation.RELU, KernelThreading.CALLER_ONLY)
                .poolsOutput());
    }

    @Test
    void aNanInAWindowGivesNan() {
        float[] source = {1, Float.NaN, 3, 4, 5, 6, 7, 8};
        float[] target = new float[2];
        MaxPool2x2.plane(source, 0, 4, 2, 4, target, 0, 2);
        assertTrue(Float.isNaN(target[0]));
        assertEquals(8f, target[1]);
    }

    /** Reference 2x2 stride-2 max pooling of plain planes, odd last row and column dropped. */
    private static float[] pool(float[] planes, int count, int h, int w) {
        int ph = h / 2;
        int pw = w / 2;
        float[] out = new float[count * ph * pw];
        for (int p = 0; p < count; p++) {
            for (int y = 0; y < ph; y++) {
                for (int x = 0; x < pw; x++) {
                    float max = Float.NEGATIVE_INFINITY;
                    for (int dy = 0; dy < 2; dy++) {
                        for (int dx = 0; dx < 2; dx++) {
                            max = Math.max(max, planes[p * h * w + (2 * y + dy) * w + 2 * x + dx]);
                        }
                    }
                    out[(p * ph + y) * pw + x] = max;
                }
            }
        }
        return out;
    }
}
