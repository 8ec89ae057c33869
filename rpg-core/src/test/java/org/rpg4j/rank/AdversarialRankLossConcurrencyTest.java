package org.rpg4j.rank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The rank loss computed on several threads at once gives bit for bit what one thread gives, and
 * repeated calls give the same bits: the rank step runs layers concurrently (the LAPACK and BLAS
 * calls, ND4J's array creation and the Java loops must be safe and independent of scheduling).
 */
class AdversarialRankLossConcurrencyTest {

    private static final long[][] SHAPES = {
            {64, 32, 3, 3}, {32, 64, 3, 3}, {128, 64, 1, 1}, {16, 3, 3, 3}, {96, 48, 3, 3}, {48, 96}, {200, 40}
    };

    @Test
    void twoThreadsGiveTheBitsOfOneThread() throws Exception {
        List<INDArray> weights = new ArrayList<>();
        for (int i = 0; i < SHAPES.length; i++) {
            INDArray w = ReferenceSvd.randomWeights(50L + i, 0.05, i % 2 == 0 ? 0.8 : 0.0, SHAPES[i]);
            weights.add(i % 3 == 0 ? w : w.castTo(DataType.FLOAT));
        }
        List<RankLossResult> serial = new ArrayList<>();
        for (INDArray w : weights) {
            serial.add(AdversarialRankLoss.compute(w, 0.1));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                List<Future<RankLossResult>> futures = new ArrayList<>();
                for (INDArray w : weights) {
                    futures.add(pool.submit(() -> AdversarialRankLoss.compute(w, 0.1)));
                }
                for (int i = 0; i < weights.size(); i++) {
                    assertSameBits(serial.get(i), futures.get(i).get(), "round " + round + ", layer " + i);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void repeatedCallsGiveTheSameBits() {
        INDArray w = ReferenceSvd.randomWeights(60L, 0.05, 0.5, 96, 48, 3, 3).castTo(DataType.FLOAT);
        RankLossResult first = AdversarialRankLoss.compute(w, 0.2);
        for (int i = 0; i < 3; i++) {
            assertSameBits(first, AdversarialRankLoss.compute(w, 0.2), "call " + i);
        }
    }

    static void assertSameBits(RankLossResult expected, RankLossResult actual, String where) {
        assertEquals(expected.k(), actual.k(), where + ": k");
        assertEquals(Double.doubleToLongBits(expected.loss()), Double.doubleToLongBits(actual.loss()),
                where + ": loss " + expected.loss() + " vs " + actual.loss());
        assertEquals(expected.gradient().dataType(), actual.gradient().dataType(), where + ": type");
        assertArrayEquals(expected.gradient().shape(), actual.gradient().shape(), where + ": shape");
        assertArrayEquals(expected.gradient().dup('c').data().asDouble(), actual.gradient().dup('c').data().asDouble(),
                0.0, where + ": gradient");
    }
}
