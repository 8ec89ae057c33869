package org.rpg4j.dl4j.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GradientAverageTest {
    @Test
    void meanOfTwoReplicasIsTheElementwiseAverage() {
        INDArray a = Nd4j.createFromArray(new double[][] {{1, 2}, {3, -4}});
        INDArray b = Nd4j.createFromArray(new double[][] {{3, 6}, {-3, 0}});
        Map<String, INDArray> mean = GradientAverage.mean(List.of(Map.of("l/W", a), Map.of("l/W", b)));
        // (1+3)/2 = 2, (2+6)/2 = 4, (3-3)/2 = 0, (-4+0)/2 = -2
        assertArrayEquals(new double[] {2, 4, 0, -2}, mean.get("l/W").reshape(4).toDoubleVector(), 0.0);
        // inputs unmodified
        assertArrayEquals(new double[] {1, 2, 3, -4}, a.reshape(4).toDoubleVector(), 0.0);
    }

    @Test
    void rejectsEmptyAndMismatchedInputs() {
        assertThrows(IllegalArgumentException.class, () -> GradientAverage.mean(List.of()));
        INDArray a = Nd4j.zeros(2, 2);
        assertThrows(IllegalArgumentException.class,
                () -> GradientAverage.mean(List.of(Map.of("x", a), Map.of("y", a))));
        assertThrows(IllegalArgumentException.class,
                () -> GradientAverage.mean(List.of(Map.of("x", a), Map.of("x", Nd4j.zeros(4)))));
    }
}
