package org.rpg4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/** Skipping images of an epoch leaves the augmentation stream exactly where assembling them would. */
class BatchAssemblerAdvanceTest {
    @Test
    void advanceDrawsWhatBatchDraws() {
        TrainTestData data = SyntheticData.generate(3, 8, 4, 40, 4, 7);
        for (Augmentation augmentation : new Augmentation[] {Augmentation.CROP_FLIP, new Augmentation(2, false),
                new Augmentation(0, true), Augmentation.NONE}) {
            BatchAssembler assembler = new BatchAssembler(data.train(), Normalization.of(data.train()), augmentation,
                    0.0);
            int[] order = new int[40];
            for (int i = 0; i < order.length; i++) {
                order[i] = (i * 7) % 40;
            }
            SplittableRandom assembled = new SplittableRandom(99);
            assembler.batch(order, 0, 13, assembled);
            DataSet expected = assembler.batch(order, 13, 20, assembled);
            SplittableRandom skipped = new SplittableRandom(99);
            assembler.advance(skipped, 13);
            DataSet actual = assembler.batch(order, 13, 20, skipped);
            assertArrayEquals(expected.getFeatures().data().asFloat(), actual.getFeatures().data().asFloat(),
                    augmentation.toString());
            assertEquals(assembled.nextLong(), skipped.nextLong(), augmentation.toString());
        }
    }
}
