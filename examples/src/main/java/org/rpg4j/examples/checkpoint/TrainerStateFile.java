package org.rpg4j.examples.checkpoint;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rpg4j.examples.train.EpochMetrics;
import org.rpg4j.examples.train.LayerStat;
import org.rpg4j.examples.train.TracePoint;
import org.rpg4j.examples.train.TrainerState;

/**
 * A {@link TrainerState} as a small binary file (big-endian, {@code DataOutputStream}): a magic
 * number and format version, then every field in record order; doubles as their exact bits, so
 * metrics survive a resume unchanged. Integrity is the manifest's job (SHA-256); this class only
 * checks the magic, the version and the end of the file.
 */
public final class TrainerStateFile {
    /** File name inside a checkpoint. */
    public static final String FILE_NAME = "trainer.bin";
    private static final int MAGIC = 0x52504754; // "RPGT"
    private static final int FORMAT = 1;

    private TrainerStateFile() {}

    /**
     * @param state the state to write
     * @param file the file to create (replaced if it exists)
     * @throws IOException if it cannot be written
     */
    public static void write(TrainerState state, Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeLong(state.iteration());
            out.writeInt(state.epoch());
            out.writeInt(state.batch());
            out.writeLong(state.shuffleSeed());
            out.writeLong(state.augmentationSeed());
            out.writeLong(state.augmentedImages());
            out.writeLong(state.randomRootState());
            out.writeLong(state.randomNodeState());
            for (double d : new double[] {state.epochLoss(), state.epochSeconds(), state.windowLoss()}) {
                out.writeDouble(d);
            }
            out.writeInt(state.windowIterations());
            for (double d : new double[] {state.windowSeconds(), state.trainingSeconds(), state.evaluationSeconds(),
                    state.elapsedSeconds()}) {
                out.writeDouble(d);
            }
            out.writeInt(state.epochs().size());
            for (EpochMetrics m : state.epochs()) {
                writeEpoch(out, m);
            }
            out.writeInt(state.trace().size());
            for (TracePoint p : state.trace()) {
                out.writeLong(p.iteration());
                out.writeDouble(p.loss());
                out.writeDouble(p.sparsity());
                out.writeDouble(p.learningRate());
                out.writeDouble(p.imagesPerSecond());
            }
        }
    }

    /**
     * @param file a file written by {@link #write}
     * @return the state
     * @throws IOException if it cannot be read, is cut short, or is not a trainer state of this format
     */
    public static TrainerState read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not an rpg4j trainer state");
            }
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IOException(file + " has trainer-state format " + format + ", this version reads " + FORMAT);
            }
            long iteration = in.readLong();
            int epoch = in.readInt();
            int batch = in.readInt();
            long[] seeds = {in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong()};
            double[] sums = {in.readDouble(), in.readDouble(), in.readDouble()};
            int windowIterations = in.readInt();
            double[] times = {in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble()};
            List<EpochMetrics> epochs = new ArrayList<>();
            for (int i = count(in, file); i > 0; i--) {
                epochs.add(readEpoch(in, file));
            }
            List<TracePoint> trace = new ArrayList<>();
            for (int i = count(in, file); i > 0; i--) {
                trace.add(new TracePoint(in.readLong(), in.readDouble(), in.readDouble(), in.readDouble(),
                        in.readDouble()));
            }
            if (in.read() != -1) {
                throw new IOException(file + " has bytes after the trainer state");
            }
            return new TrainerState(iteration, epoch, batch, seeds[0], seeds[1], seeds[2], seeds[3], seeds[4], sums[0],
                    sums[1], sums[2], windowIterations, times[0], times[1], times[2], times[3], epochs, trace);
        } catch (EOFException e) {
            throw new IOException(file + " ends before the trainer state does", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " holds an invalid trainer state: " + e.getMessage(), e);
        }
    }

    private static void writeEpoch(DataOutputStream out, EpochMetrics m) throws IOException {
        out.writeInt(m.epoch());
        out.writeLong(m.iteration());
        for (double d : new double[] {m.trainLoss(), m.testAccuracy(), m.sparsity(), m.meanDeltaRank(),
                m.learningRate(), m.imagesPerSecond(), m.elapsedSeconds()}) {
            out.writeDouble(d);
        }
        out.writeInt(m.layers().size());
        for (LayerStat s : m.layers()) {
            out.writeUTF(s.name());
            out.writeUTF(s.type());
            long[] shape = s.shape();
            out.writeInt(shape.length);
            for (long d : shape) {
                out.writeLong(d);
            }
            out.writeLong(s.parameters());
            out.writeLong(s.nonZeros());
            out.writeInt(s.deltaRank());
            out.writeInt(s.fullRank());
            out.writeLong(s.zeroRows());
            out.writeLong(s.zeroColumns());
        }
    }

    private static EpochMetrics readEpoch(DataInputStream in, Path file) throws IOException {
        int epoch = in.readInt();
        long iteration = in.readLong();
        double[] v = new double[7];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readDouble();
        }
        List<LayerStat> layers = new ArrayList<>();
        for (int i = count(in, file); i > 0; i--) {
            String name = in.readUTF();
            String type = in.readUTF();
            long[] shape = new long[count(in, file)];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = in.readLong();
            }
            layers.add(new LayerStat(name, type, shape, in.readLong(), in.readLong(), in.readInt(), in.readInt(),
                    in.readLong(), in.readLong()));
        }
        return new EpochMetrics(epoch, iteration, v[0], v[1], v[2], v[3], v[4], v[5], v[6], layers);
    }

    /** A list length; bounded so that a damaged length fails here rather than allocating gigabytes. */
    private static int count(DataInputStream in, Path file) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 10_000_000) {
            throw new IOException(file + " holds an impossible list length " + n);
        }
        return n;
    }
}
