package org.rpg4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The host-pointer route and the generic route of {@link MaskArrays} and {@link KeptWeights} give
 * the same bits, on the layouts adapters hand over: a C-order view at an offset into a flat
 * parameter buffer (DL4J convolutions), an F-order view (DL4J dense {@code [nIn, nOut]}), a fresh
 * array, and a double array.
 */
class HostAccessRoutesTest {

    /** A [rows, cols] view in {@code order} at offset {@code start} of a flat [1, 400] float buffer. */
    private static INDArray paramView(INDArray flat, int start, char order, long rows, long cols) {
        return flat.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(start, start + rows * cols))
                .reshape(order, rows, cols);
    }

    /** Seeded values with exact zeros, positives and negatives: what a partly pruned layer holds. */
    private static INDArray flatBuffer(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[400];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextInt(3) == 0 ? 0.0f : (float) random.nextGaussian();
        }
        return Nd4j.create(v, new long[] {1, 400}, 'c');
    }

    private static boolean[] randomMask(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] mask = new boolean[n];
        for (int i = 0; i < n; i++) {
            mask[i] = random.nextBoolean();
        }
        return mask;
    }

    @Test
    void theProbeOpensTheHostRouteOnTheCpuBackendAndTheSwitchClosesIt() {
        INDArray a = Nd4j.create(DataType.FLOAT, 3, 4);
        assertTrue(Nd4j.getEnvironment().isCPU(), "the tests run on the CPU backend");
        assertTrue(Routes.on(HostAccess.Mode.AUTO, () -> HostAccess.hostPointer(a)));
        assertTrue(Routes.on(HostAccess.Mode.AUTO, HostAccess::openBlasLapack));
        assertFalse(Routes.on(HostAccess.Mode.GENERIC, () -> HostAccess.hostPointer(a)));
        assertFalse(Routes.on(HostAccess.Mode.GENERIC, HostAccess::openBlasLapack));
        System.setProperty(HostAccess.PROPERTY, "gpu");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, HostAccess::mode);
            assertTrue(e.getMessage().contains(HostAccess.PROPERTY) && e.getMessage().contains("'gpu'"),
                    e.getMessage());
        } finally {
            System.clearProperty(HostAccess.PROPERTY);
        }
    }

    @Test
    void valuesAreTheSameOnBothRoutes() {
        for (char order : new char[] {'c', 'f'}) {
            INDArray w = paramView(flatBuffer(1), 37, order, 12, 20);
            float[] host = Routes.on(HostAccess.Mode.AUTO, () -> MaskArrays.values(w));
            float[] generic = Routes.on(HostAccess.Mode.GENERIC, () -> MaskArrays.values(w));
            assertArrayEquals(generic, host, "order " + order);
            for (int i = 0; i < 12; i++) {
                for (int j = 0; j < 20; j++) {
                    assertEquals(w.getFloat(i, j), host[i * 20 + j], 0.0f, "(" + i + "," + j + ")");
                }
            }
        }
        INDArray d = paramView(flatBuffer(2), 0, 'c', 10, 40).castTo(DataType.DOUBLE);
        assertArrayEquals(Routes.on(HostAccess.Mode.GENERIC, () -> MaskArrays.values(d)),
                Routes.on(HostAccess.Mode.AUTO, () -> MaskArrays.values(d)));
    }

    @Test
    void maskArraysAreTheSameOnBothRoutes() {
        // 70,000 elements: more than one chunk of the host route's chunked write
        boolean[] mask = randomMask(3, 70_000);
        long[] shape = {100, 70, 10};
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray host = Routes.on(HostAccess.Mode.AUTO, () -> MaskArrays.toMaskArray(mask, shape, type));
            INDArray generic = Routes.on(HostAccess.Mode.GENERIC, () -> MaskArrays.toMaskArray(mask, shape, type));
            assertArrayEquals(generic.data().asDouble(), host.data().asDouble(), type.toString());
            assertArrayEquals(mask, MaskArrays.fromMaskArray(host));
        }
    }

    /**
     * Both routes against the definition {@code w * (keep ? 1 : 0)}, compared bit for bit (a pruned
     * negative weight becomes -0.0 on both), on a C view at an offset and an F view; the buffer
     * around the view stays untouched.
     */
    @Test
    void keptWeightsAreTheSameBitsOnBothRoutes() {
        for (char order : new char[] {'c', 'f'}) {
            INDArray original = flatBuffer(4);
            boolean[] keep = randomMask(5, 240);
            INDArray expected = paramView(original.dup(), 37, order, 12, 20);
            expected.muli(MaskArrays.toMaskArray(keep, new long[] {12, 20}, DataType.FLOAT));
            for (HostAccess.Mode mode : HostAccess.Mode.values()) {
                INDArray flat = original.dup();
                INDArray w = paramView(flat, 37, order, 12, 20);
                float[] values = MaskArrays.values(w);
                Routes.on(mode, () -> {
                    KeptWeights.applyInPlace(w, values, keep);
                    return null;
                });
                for (int i = 0; i < 12; i++) {
                    for (int j = 0; j < 20; j++) {
                        assertEquals(Float.floatToRawIntBits(expected.getFloat(i, j)),
                                Float.floatToRawIntBits(w.getFloat(i, j)), mode + " " + order + " (" + i + "," + j
                                        + ")");
                    }
                }
                for (int k : new int[] {0, 36, 277, 399}) {
                    assertEquals(original.getFloat(0, k), flat.getFloat(0, k), 0.0f, mode + " outside the view at "
                            + k);
                }
            }
        }
    }

    @Test
    void keptWeightsRejectMismatchedLengths() {
        INDArray w = Nd4j.create(DataType.FLOAT, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KeptWeights.applyInPlace(w, new float[6], new boolean[5]));
        assertTrue(e.getMessage().contains("6") && e.getMessage().contains("5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KeptWeights.applyInPlace(w, null, new boolean[6]));
    }
}
