package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The runner's array pool keeps what it lent and nothing else. */
class ArrayPoolTest {

    @Test
    void anArrayLentAndHandedBackIsLentAgain() {
        ArrayPool pool = new ArrayPool();
        float[] first = pool.take(12);
        assertEquals(1, pool.outstanding());
        pool.give(first);
        assertEquals(0, pool.outstanding());
        assertEquals(1, pool.retained());
        assertSame(first, pool.take(12));
        assertEquals(0, pool.retained());
    }

    @Test
    void arraysThePoolDidNotLendAreNotKept() {
        ArrayPool pool = new ArrayPool();
        for (int call = 0; call < 5; call++) {
            pool.give(new float[40]);
        }
        pool.give(null);
        assertEquals(0, pool.retained());
    }

    @Test
    void anArrayHandedBackTwiceIsLentToOneTakerOnly() {
        ArrayPool pool = new ArrayPool();
        float[] array = pool.take(8);
        pool.give(array);
        pool.give(array);
        assertEquals(1, pool.retained());
        assertNotSame(pool.take(8), pool.take(8));
    }

    @Test
    void manyLengthsEachGetTheirOwnArraysBack() {
        // more lengths than the pool's first table holds (8): each length's arrays come back to takers of that length
        ArrayPool pool = new ArrayPool();
        float[][] lent = new float[20][];
        for (int i = 0; i < lent.length; i++) {
            lent[i] = pool.take(3 + i % 10 * 7);
        }
        for (float[] array : lent) {
            pool.give(array);
        }
        assertEquals(20, pool.retained());
        for (int i = lent.length - 1; i >= 0; i--) {
            float[] again = pool.take(3 + i % 10 * 7);
            assertEquals(3 + i % 10 * 7, again.length);
            assertTrue(again == lent[i] || again == lent[(i + 10) % 20], "length " + again.length);
        }
        assertEquals(0, pool.retained());
        assertEquals(20, pool.outstanding());
        assertEquals(41, pool.take(41).length);
    }

    @Test
    void manyArraysOfOneLengthOutAtOnceComeBackDistinct() {
        // more arrays lent at once and more free of one length than the pool's first tables hold (8 and 4), handed
        // back in another order, some twice: each is kept once and lent to one taker
        ArrayPool pool = new ArrayPool();
        float[][] lent = new float[30][];
        for (int i = 0; i < lent.length; i++) {
            lent[i] = pool.take(16);
        }
        assertEquals(30, pool.outstanding());
        for (int i = 0; i < lent.length; i++) {
            pool.give(lent[i * 7 % 30]);
            pool.give(lent[i * 7 % 30]);
        }
        assertEquals(0, pool.outstanding());
        assertEquals(30, pool.retained());
        java.util.Set<float[]> again = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < lent.length; i++) {
            again.add(pool.take(16));
        }
        assertEquals(30, again.size());
        for (float[] array : lent) {
            assertTrue(again.contains(array));
        }
        assertEquals(0, pool.retained());
    }
}
