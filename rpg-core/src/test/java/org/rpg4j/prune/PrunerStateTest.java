package org.rpg4j.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class PrunerStateTest {

    private static byte[] savedState() throws IOException {
        TrainingSimulation sim = new TrainingSimulation(PruningConfig.builder(0.9, 200).deltaT(10)
                .build(), 8);
        sim.runUntil(120);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sim.pruner.state().write(out);
        return out.toByteArray();
    }

    @Test
    void roundTripKeepsMasksAndK() throws IOException {
        TrainingSimulation sim = new TrainingSimulation(PruningConfig.builder(0.9, 200).deltaT(10)
                .build(), 8);
        sim.runUntil(120);
        PrunerState state = sim.pruner.state();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        state.write(out);
        PrunerState back = PrunerState.read(new ByteArrayInputStream(out.toByteArray()));
        assertArrayEquals(state.lastK(), back.lastK());
        for (int i = 0; i < state.masks().length; i++) {
            assertArrayEquals(state.masks()[i], back.masks()[i]);
        }
        assertTrue(Arrays.stream(state.lastK()).anyMatch(k -> k > 0));
    }

    @Test
    void aFlippedByteIsDetected() throws IOException {
        byte[] bytes = savedState();
        for (int position : new int[] {3, 20, bytes.length / 2, bytes.length - 9}) {
            byte[] corrupt = bytes.clone();
            corrupt[position] ^= 0x10;
            assertThrows(PruningStateException.class,
                    () -> PrunerState.read(new ByteArrayInputStream(corrupt)), "flip at " + position);
        }
    }

    @Test
    void aTruncatedStateIsDetected() throws IOException {
        byte[] bytes = savedState();
        PruningStateException e = assertThrows(PruningStateException.class,
                () -> PrunerState.read(new ByteArrayInputStream(Arrays.copyOf(bytes, bytes.length - 3))));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aStateForOtherTensorsIsRejected() throws IOException {
        PrunerState state = PrunerState.read(new ByteArrayInputStream(savedState()));
        PruningConfig c = PruningConfig.builder(0.9, 200).deltaT(10).build();
        List<PrunableTensor> other = List.of(
                PrunableTensor.convolution("conv1", "ConvolutionLayer", new long[] {8, 3, 3, 3}, DataType.FLOAT),
                PrunableTensor.convolution("convX", "ConvolutionLayer", new long[] {16, 8, 3, 3}, DataType.FLOAT),
                PrunableTensor.dense("fc", "OutputLayer", new long[] {144, 10}, DataType.FLOAT));
        PruningStateException e = assertThrows(PruningStateException.class, () -> Pruner.restore(c, other, state));
        assertTrue(e.getMessage().contains("convX") && e.getMessage().contains("conv2"), e.getMessage());
        assertThrows(PruningStateException.class, () -> Pruner.restore(c, other.subList(0, 2), state));
    }
}
