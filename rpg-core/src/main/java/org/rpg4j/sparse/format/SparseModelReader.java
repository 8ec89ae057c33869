package org.rpg4j.sparse.format;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads a file written by {@link SparseModelWriter}, checking everything before returning: the
 * format and version, that every listed entry is present once with its size and CRC32, that no
 * other entry is present, and that each tensor's bytes decode. Every failure is a
 * {@link SparseFormatException} naming the entry.
 */
public final class SparseModelReader {
    /** The name errors use for the zip's central directory, which is not an entry. */
    public static final String CENTRAL_DIRECTORY = "(zip central directory)";
    private static final int END_RECORD_BYTES = 22;

    private SparseModelReader() {}

    /**
     * @param in the zip (read to the end, not closed)
     * @return the model, its tensors still encoded ({@link SparseModel#decodeParameters()} decodes them)
     * @throws SparseFormatException if the file is truncated, corrupt, incomplete or of another version
     * @throws IOException if reading fails otherwise
     * @throws IllegalArgumentException if {@code in} is null
     */
    public static SparseModel read(InputStream in) throws IOException {
        if (in == null) {
            throw new IllegalArgumentException("in must not be null");
        }
        byte[] file = in.readAllBytes();
        Map<String, byte[]> entries = readEntries(file);
        byte[] manifestBytes = entries.remove(Manifest.ENTRY_NAME);
        if (manifestBytes == null) {
            throw new SparseFormatException(Manifest.ENTRY_NAME, "is missing: not a sparse model file, or truncated");
        }
        Manifest manifest;
        try {
            manifest = Manifest.parse(manifestBytes, SparseModelWriter.FORMAT_VERSION);
        } catch (IllegalArgumentException e) {
            throw new SparseFormatException(Manifest.ENTRY_NAME, e.getMessage(), e);
        }
        checkEntries(manifest, entries);
        checkCentralDirectory(file, entries.size() + 1);
        byte[] data = entries.get(SparseModelWriter.TENSOR_DATA_ENTRY);
        if (data == null) {
            throw new SparseFormatException(SparseModelWriter.TENSOR_DATA_ENTRY, "is not listed in the manifest");
        }
        List<EncodedTensor> tensors = tensors(manifest.tensors(), data);
        byte[] configuration = entries.get(SparseModelWriter.CONFIGURATION_ENTRY);
        if (configuration == null) {
            throw new SparseFormatException(SparseModelWriter.CONFIGURATION_ENTRY, "is not listed in the manifest");
        }
        try {
            return new SparseModel(manifest.networkType(), new String(configuration, StandardCharsets.UTF_8),
                    manifest.parameterCount(), tensors);
        } catch (IllegalArgumentException e) {
            throw new SparseFormatException(Manifest.ENTRY_NAME, e.getMessage(), e);
        }
    }

    private static Map<String, byte[]> readEntries(byte[] file) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(file));
        String current = null;
        String previous = null;
        try {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                current = entry.getName();
                if (entries.containsKey(current)) {
                    throw new SparseFormatException(current, "appears twice");
                }
                entries.put(current, zip.readAllBytes());
                previous = current;
                current = null;
            }
        } catch (ZipException | EOFException e) {
            if (current != null) {
                throw new SparseFormatException(current, "is truncated or corrupt (" + e.getMessage() + ")", e);
            }
            // cut inside the next entry's header: what follows 'previous' is missing, reported below by name
            if (previous == null) {
                throw new SparseFormatException(Manifest.ENTRY_NAME, "cannot be read: the file is not a zip or is "
                        + "truncated (" + e.getMessage() + ")", e);
            }
        }
        return entries;
    }

    /**
     * The entries can be intact while the zip's tail is cut off: require the end-of-central-directory
     * record (signature 0x06054b50, 22 bytes without comment) and its entry count.
     */
    private static void checkCentralDirectory(byte[] file, int entriesRead) throws SparseFormatException {
        for (int at = file.length - END_RECORD_BYTES; at >= 0 && at >= file.length - END_RECORD_BYTES - 0xffff; at--) {
            if (u32(file, at) == 0x06054b50L && at + END_RECORD_BYTES + u16(file, at + 20) == file.length) {
                int listed = u16(file, at + 10);
                if (listed != entriesRead) {
                    throw new SparseFormatException(CENTRAL_DIRECTORY, "lists " + listed + " entries, the file holds "
                            + entriesRead);
                }
                return;
            }
        }
        throw new SparseFormatException(CENTRAL_DIRECTORY, "is missing or cut off: the file is truncated");
    }

    private static long u32(byte[] b, int at) {
        return u16(b, at) | (long) u16(b, at + 2) << 16;
    }

    private static int u16(byte[] b, int at) {
        return b[at] & 0xff | (b[at + 1] & 0xff) << 8;
    }

    private static void checkEntries(Manifest manifest, Map<String, byte[]> entries) throws SparseFormatException {
        Set<String> listed = new HashSet<>();
        for (Manifest.Entry e : manifest.entries()) {
            listed.add(e.name());
            byte[] bytes = entries.get(e.name());
            if (bytes == null) {
                throw new SparseFormatException(e.name(), "is listed in the manifest but missing (the file is "
                        + "truncated or the entry was removed)");
            }
            if (bytes.length != e.bytes() || SparseModelWriter.crc32(bytes) != e.crc32()) {
                throw new SparseFormatException(e.name(), "is corrupt: " + bytes.length + " bytes with CRC32 "
                        + SparseModelWriter.crc32(bytes) + ", the manifest lists " + e.bytes() + " bytes with CRC32 "
                        + e.crc32());
            }
        }
        for (String name : entries.keySet()) {
            if (!listed.contains(name)) {
                throw new SparseFormatException(name, "is not listed in the manifest");
            }
        }
    }

    /** Cuts the tensor data entry into tensors: all positions, then value plane 0 of all tensors, plane 1, ... */
    private static List<EncodedTensor> tensors(List<Manifest.Tensor> listed, byte[] data) throws SparseFormatException {
        long expected = 0;
        for (Manifest.Tensor t : listed) {
            expected += (long) t.positionsBytes() + (long) t.storedCount() * t.precision().bytesPerValue();
            if (t.positionsBytes() < 0 || t.storedCount() < 0) {
                throw new SparseFormatException(SparseModelWriter.TENSOR_DATA_ENTRY, "tensor '" + t.layout().name()
                        + "' lists negative sizes");
            }
        }
        if (expected != data.length) {
            throw new SparseFormatException(SparseModelWriter.TENSOR_DATA_ENTRY, "holds " + data.length
                    + " bytes, the manifest's tensors add up to " + expected);
        }
        List<byte[]> positions = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        int at = 0;
        for (Manifest.Tensor t : listed) {
            positions.add(Arrays.copyOfRange(data, at, at + t.positionsBytes()));
            values.add(new byte[t.storedCount() * t.precision().bytesPerValue()]);
            at += t.positionsBytes();
        }
        for (int plane = 0; plane < ValuePrecision.FLOAT32.bytesPerValue(); plane++) {
            for (int i = 0; i < listed.size(); i++) {
                Manifest.Tensor t = listed.get(i);
                if (plane < t.precision().bytesPerValue()) {
                    System.arraycopy(data, at, values.get(i), plane * t.storedCount(), t.storedCount());
                    at += t.storedCount();
                }
            }
        }
        List<EncodedTensor> out = new ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            out.add(tensor(listed.get(i), positions.get(i), values.get(i)));
        }
        return out;
    }

    private static EncodedTensor tensor(Manifest.Tensor t, byte[] positions, byte[] values)
            throws SparseFormatException {
        String where = "tensor '" + t.layout().name() + "'";
        CRC32 crc = new CRC32();
        crc.update(positions);
        crc.update(values);
        if (crc.getValue() != t.crc32()) {
            throw new SparseFormatException(SparseModelWriter.TENSOR_DATA_ENTRY, where + " is corrupt: CRC32 "
                    + crc.getValue() + ", the manifest lists " + t.crc32());
        }
        try {
            EncodedTensor encoded = new EncodedTensor(t.layout(), t.encoding(), t.precision(), t.storedCount(),
                    positions, values);
            // check sizes, positions and counts now, so that a load error names the entry and tensor
            encoded.check();
            return encoded;
        } catch (IllegalArgumentException e) {
            throw new SparseFormatException(SparseModelWriter.TENSOR_DATA_ENTRY, where + ": " + e.getMessage(), e);
        }
    }
}
