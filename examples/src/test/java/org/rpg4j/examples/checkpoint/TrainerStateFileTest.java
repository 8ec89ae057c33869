package org.rpg4j.examples.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.DropOutInverted;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.examples.train.EpochMetrics;
import org.rpg4j.examples.train.LayerStat;
import org.rpg4j.examples.train.TracePoint;
import org.rpg4j.examples.train.TrainerState;

/** The trainer state survives a write and read bit for bit; a damaged file is refused. */
class TrainerStateFileTest {
    @TempDir
    Path dir;

    static TrainerState sample() {
        LayerStat layer = new LayerStat("c1_conv/W", "FastConvolutionLayer", new long[] {16, 1, 3, 3}, 144, 101, 9, 9,
                0, 2);
        EpochMetrics epoch = new EpochMetrics(1, 8, 2.302585092994046, 0.1875, 0.4762, Double.NaN, 0.045, 9.6,
                14.25, List.of(layer));
        TracePoint point = new TracePoint(8, 5.4966, 0.4762, Math.nextUp(0.0452), 9.6);
        return new TrainerState(11, 2, 3, 42L * 1_000_003L + 2, 42L * 7_919L + 2, 48, -7L, Long.MAX_VALUE,
                0.1 + 0.2, 1.5, -0.0, 3, 0.25, 17.5, 2.5, 21.0, List.of(epoch), List.of(point, point));
    }

    @Test
    void roundTripIsExact() throws IOException {
        TrainerState state = sample();
        Path file = dir.resolve(TrainerStateFile.FILE_NAME);
        TrainerStateFile.write(state, file);
        TrainerState back = TrainerStateFile.read(file);
        // records compare doubles with Double.compare, so -0.0, NaN and the last ulp must survive
        assertEquals(withoutArrayIds(state), withoutArrayIds(back));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(back.windowLoss()));
        assertEquals(state.epochs().get(0).trainLoss(), back.epochs().get(0).trainLoss());
        assertArrayEquals(state.epochs().get(0).layers().get(0).shape(), back.epochs().get(0).layers().get(0).shape());
        assertEquals(state.trace(), back.trace());
    }

    /** Records print arrays as {@code [J@hash}; the shapes are compared on their own. */
    private static String withoutArrayIds(TrainerState state) {
        return state.toString().replaceAll("\\[J@[0-9a-f]+", "[J");
    }

    @Test
    void truncatedOrForeignFilesAreRefused() throws IOException {
        Path file = dir.resolve(TrainerStateFile.FILE_NAME);
        TrainerStateFile.write(sample(), file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() - 9);
        }
        IOException cut = assertThrows(IOException.class, () -> TrainerStateFile.read(file));
        assertTrue(cut.getMessage().contains("ends before the trainer state does"), cut.getMessage());
        CheckpointStoreTest.flipBit(file, 0, 0);
        IOException foreign = assertThrows(IOException.class, () -> TrainerStateFile.read(file));
        assertTrue(foreign.getMessage().contains("is not an rpg4j trainer state"), foreign.getMessage());
    }

    /**
     * The trainer saves ND4J's generator as its (root, node) state: setting them back repeats the
     * random arrays that dropout and other stochastic layers draw, and the scalar draws.
     */
    @Test
    void nd4jRandomStateRestoresTheStream() {
        Random random = Nd4j.getRandom();
        random.setSeed(123);
        random.nextDouble();
        Nd4j.rand(DataType.FLOAT, 3);
        long root = random.rootState();
        long node = random.nodeState();
        double[] first = {random.nextDouble(), random.nextInt(1000)};
        float[] uniform = Nd4j.rand(DataType.FLOAT, 5).toFloatVector();
        float[] gaussian = Nd4j.randn(DataType.FLOAT, 5).toFloatVector();
        INDArray kept = Nd4j.ones(DataType.FLOAT, 64);
        Nd4j.getExecutioner().exec(new DropOutInverted(kept, kept, 0.5));
        random.setStates(root, node);
        assertArrayEquals(first, new double[] {random.nextDouble(), random.nextInt(1000)});
        assertArrayEquals(uniform, Nd4j.rand(DataType.FLOAT, 5).toFloatVector());
        assertArrayEquals(gaussian, Nd4j.randn(DataType.FLOAT, 5).toFloatVector());
        INDArray again = Nd4j.ones(DataType.FLOAT, 64);
        Nd4j.getExecutioner().exec(new DropOutInverted(again, again, 0.5));
        assertArrayEquals(kept.toFloatVector(), again.toFloatVector());
    }
}
