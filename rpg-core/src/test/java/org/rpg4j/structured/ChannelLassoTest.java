package org.rpg4j.structured;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ChannelLassoTest {
    @Test
    void orthogonalChannelsKeepTheLargestEnergies() {
        // G diagonal: beta_c = S(G_cc, lambda) / G_cc is non-zero iff G_cc > lambda, so keeping 2 of
        // energies {4, 1, 9, 0.25} keeps channels 2 (9) and 0 (4)
        INDArray gram = Nd4j.diag(Nd4j.createFromArray(4.0, 1.0, 9.0, 0.25));
        ChannelLasso.Selection s = ChannelLasso.select(gram, 2);
        assertArrayEquals(new boolean[] {true, false, true, false}, s.keep());
        assertTrue(s.lambda() >= 1 && s.lambda() < 4, "lambda " + s.lambda());
        // at lambda, beta_2 = (9 - lambda) / 9
        assertEquals((9 - s.lambda()) / 9, s.beta()[2], 1e-9);
    }

    @Test
    void keepsExactlyTheRequestedCountOnRandomProblems() {
        Random random = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            int c = 3 + random.nextInt(10);
            INDArray z = Nd4j.randn(DataType.DOUBLE, c, 40);
            INDArray gram = z.mmul(z.transpose());
            int keep = 1 + random.nextInt(c);
            assertEquals(keep, KeepSelection.count(ChannelLasso.select(gram, keep).keep()), "trial " + trial);
        }
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> ChannelLasso.select(Nd4j.zeros(2, 3), 1));
        assertThrows(IllegalArgumentException.class, () -> ChannelLasso.select(Nd4j.eye(3), 0));
        assertThrows(IllegalArgumentException.class, () -> ChannelLasso.select(Nd4j.eye(3), 4));
    }
}
