package org.rpg4j.prune;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Everything a {@link Pruner} needs to continue a run: the masks (bit-packed) and the last chosen
 * k per tensor, with the tensor names and sizes to check that it fits. The iteration count comes
 * from the framework; every random choice derives from the seed and the update index.
 *
 * <p>Binary format: magic {@code RPG4JST}, format version, tensor count, per tensor name, length,
 * last k and packed mask words, then a CRC-32 of all preceding bytes.
 */
public final class PrunerState {
    private static final byte[] MAGIC = {'R', 'P', 'G', '4', 'J', 'S', 'T'};
    private static final int FORMAT_VERSION = 1;

    private final List<String> names;
    private final boolean[][] masks;
    private final int[] lastK;

    PrunerState(List<String> names, boolean[][] masks, int[] lastK) {
        this.names = List.copyOf(names);
        this.masks = masks;
        this.lastK = lastK;
    }

    /** @return tensor names in global order */
    public List<String> names() {
        return names;
    }

    boolean[][] masks() {
        boolean[][] copy = new boolean[masks.length][];
        for (int i = 0; i < masks.length; i++) {
            copy[i] = masks[i].clone();
        }
        return copy;
    }

    int[] lastK() {
        return lastK.clone();
    }

    void checkFits(List<PrunableTensor> tensors) {
        if (tensors.size() != names.size()) {
            throw new PruningStateException("saved pruner state holds " + names.size() + " tensors " + names
                    + ", the network has " + tensors.size());
        }
        for (int i = 0; i < tensors.size(); i++) {
            PrunableTensor t = tensors.get(i);
            if (!t.name().equals(names.get(i)) || t.length() != masks[i].length) {
                throw new PruningStateException("saved pruner state tensor " + i + " is '" + names.get(i) + "' with "
                        + masks[i].length + " weights, the network has '" + t.name() + "' with " + t.length());
            }
        }
    }

    /**
     * Writes this state; the stream is not closed.
     *
     * @param out the stream to write to
     * @throws IOException if writing to {@code out} fails
     */
    public void write(OutputStream out) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(bytes);
        data.write(MAGIC);
        data.writeInt(FORMAT_VERSION);
        data.writeInt(names.size());
        for (int i = 0; i < names.size(); i++) {
            data.writeUTF(names.get(i));
            data.writeInt(masks[i].length);
            data.writeInt(lastK[i]);
            for (long word : pack(masks[i])) {
                data.writeLong(word);
            }
        }
        data.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        data.writeLong(crc.getValue());
        data.flush();
        bytes.writeTo(out);
    }

    /**
     * @param in a stream positioned at a state written by {@link #write}; read to the state's end, not closed
     * @return the state
     * @throws PruningStateException if the bytes are not a complete, uncorrupted state
     * @throws IOException if reading from {@code in} fails
     */
    public static PrunerState read(InputStream in) throws IOException {
        CRC32 crc = new CRC32();
        DataInputStream data = new DataInputStream(new java.util.zip.CheckedInputStream(in, crc));
        try {
            byte[] magic = new byte[MAGIC.length];
            data.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new PruningStateException("not an rpg4j pruner state: bad magic bytes");
            }
            int version = data.readInt();
            if (version != FORMAT_VERSION) {
                throw new PruningStateException("pruner state format " + version + " is not supported (expected "
                        + FORMAT_VERSION + ")");
            }
            int count = data.readInt();
            if (count < 1 || count > 1_000_000) {
                throw new PruningStateException("pruner state is corrupt: tensor count " + count);
            }
            List<String> names = new ArrayList<>();
            boolean[][] masks = new boolean[count][];
            int[] lastK = new int[count];
            for (int i = 0; i < count; i++) {
                names.add(data.readUTF());
                int length = data.readInt();
                if (length < 1) {
                    throw new PruningStateException("pruner state is corrupt: tensor " + i + " length " + length);
                }
                lastK[i] = data.readInt();
                long[] words = new long[(length + 63) / 64];
                for (int j = 0; j < words.length; j++) {
                    words[j] = data.readLong();
                }
                masks[i] = unpack(words, length);
            }
            long expected = crc.getValue();
            long stored = new DataInputStream(in).readLong();
            if (stored != expected) {
                throw new PruningStateException("pruner state is corrupt: checksum mismatch");
            }
            return new PrunerState(names, masks, lastK);
        } catch (EOFException e) {
            throw new PruningStateException("pruner state is truncated", e);
        }
    }

    private static long[] pack(boolean[] mask) {
        long[] words = new long[(mask.length + 63) / 64];
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                words[i >>> 6] |= 1L << (i & 63);
            }
        }
        return words;
    }

    private static boolean[] unpack(long[] words, int length) {
        boolean[] mask = new boolean[length];
        for (int i = 0; i < length; i++) {
            mask[i] = (words[i >>> 6] & (1L << (i & 63))) != 0;
        }
        return mask;
    }
}
