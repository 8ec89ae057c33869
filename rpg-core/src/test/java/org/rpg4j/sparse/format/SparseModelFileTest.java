package org.rpg4j.sparse.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The zip container: exact round trip, deterministic bytes, and an error naming the entry for every kind of damage. */
class SparseModelFileTest {

    /** Three tensors tiling 1,520 parameters: a sparse [20, 50] 'f' weight (bitmask), a dense bias, a very sparse weight (gaps). */
    private static SparseModel model() {
        SparseSplitRandom r = new SparseSplitRandom(7);
        return new SparseModel("TestNetwork", "{\"layers\": 3}", 1520, List.of(
                TensorEncoder.encode(new TensorLayout("0_W", new long[] {20, 50}, 'f', 0), r.values(1000, 0.8),
                        ValuePrecision.FLOAT32),
                TensorEncoder.encode(new TensorLayout("0_b", new long[] {1, 20}, 'c', 1000), r.values(20, 0.0),
                        ValuePrecision.FLOAT32),
                TensorEncoder.encode(new TensorLayout("1_W", new long[] {500}, 'c', 1020), r.values(500, 0.99),
                        ValuePrecision.FLOAT32)));
    }

    private static byte[] bytes(SparseModel model) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SparseModelWriter.write(model, out);
        return out.toByteArray();
    }

    private static SparseModel read(byte[] zip) throws IOException {
        return SparseModelReader.read(new ByteArrayInputStream(zip));
    }

    @Test
    void roundTripIsExactAndDeterministic() throws IOException {
        SparseModel model = model();
        byte[] zip = bytes(model);
        SparseModel back = read(zip);
        assertEquals(model, back);
        assertArrayEquals(model.decodeParameters(), back.decodeParameters());
        assertArrayEquals(zip, bytes(back), "same model, same bytes");
        assertEquals(TensorEncoding.BITMASK, model.tensors().get(0).encoding());
        assertEquals(TensorEncoding.DENSE, model.tensors().get(1).encoding());
        assertEquals(TensorEncoding.INDEX_GAPS, model.tensors().get(2).encoding());
        assertTrue(model.tensors().get(2).storedCount() > 0);
    }

    @Test
    void truncationAnywhereNamesAnEntry() throws IOException {
        byte[] zip = bytes(model());
        for (int cut = 1; cut < zip.length; cut += Math.max(1, zip.length / 97)) {
            byte[] truncated = Arrays.copyOf(zip, cut);
            SparseFormatException e = assertThrows(SparseFormatException.class, () -> read(truncated),
                    "cut at " + cut + " of " + zip.length);
            assertTrue(e.getMessage().contains("'" + e.entryName() + "'"), e.getMessage());
            assertTrue(e.entryName().equals("manifest.json") || e.entryName().equals("configuration.json")
                    || e.entryName().equals(SparseModelReader.CENTRAL_DIRECTORY)
                    || e.entryName().equals("tensors.bin"), e.getMessage());
        }
    }

    @Test
    void flippedBitNamesTheDamagedEntry() throws IOException {
        byte[] zip = bytes(model());
        for (String entry : List.of("manifest.json", "configuration.json", "tensors.bin")) {
            SparseFormatException e = assertThrows(SparseFormatException.class,
                    () -> read(ZipSurgery.flipBitInside(zip, entry)), entry);
            assertEquals(entry, e.entryName(), e.getMessage());
        }
    }

    @Test
    void changedContentWithAValidZipCrcIsCaughtByTheManifestChecksum() throws IOException {
        byte[] zip = bytes(model());
        byte[] values = ZipSurgery.entries(zip).get("tensors.bin").clone();
        values[3] ^= 1;
        SparseFormatException e = assertThrows(SparseFormatException.class,
                () -> read(ZipSurgery.replace(zip, "tensors.bin", values)));
        assertEquals("tensors.bin", e.entryName());
        assertTrue(e.getMessage().contains("CRC32"), e.getMessage());
    }

    @Test
    void missingUnlistedAndVersionErrors() throws IOException {
        byte[] zip = bytes(model());
        SparseFormatException missing = assertThrows(SparseFormatException.class,
                () -> read(ZipSurgery.without(zip, "tensors.bin")));
        assertEquals("tensors.bin", missing.entryName());
        assertTrue(missing.getMessage().contains("missing"), missing.getMessage());

        SparseFormatException noManifest = assertThrows(SparseFormatException.class,
                () -> read(ZipSurgery.without(zip, "manifest.json")));
        assertEquals("manifest.json", noManifest.entryName());

        SparseFormatException version = assertThrows(SparseFormatException.class,
                () -> read(ZipSurgery.editManifest(zip, m -> m.replace("\"formatVersion\" : 1",
                        "\"formatVersion\" : 2"))));
        assertEquals("manifest.json", version.entryName());
        assertTrue(version.getMessage().contains("formatVersion 2 is not supported"), version.getMessage());

        var entries = ZipSurgery.entries(zip);
        entries.put("extra.bin", new byte[] {1});
        SparseFormatException extra = assertThrows(SparseFormatException.class, () -> read(ZipSurgery.zip(entries)));
        assertEquals("extra.bin", extra.entryName());

        SparseFormatException notZip = assertThrows(SparseFormatException.class,
                () -> read("just text".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals("manifest.json", notZip.entryName());
    }

    @Test
    void inconsistentCountsAndTensorChecksumsAreNamed() throws IOException {
        byte[] zip = bytes(model());
        // claim one stored value fewer for tensor 0: the sizes no longer add up to the data entry
        SparseFormatException count = assertThrows(SparseFormatException.class,
                () -> read(editFirst(zip, "\"storedCount\" : ", n -> n - 1)));
        assertEquals("tensors.bin", count.entryName(), count.getMessage());
        assertTrue(count.getMessage().contains("add up to"), count.getMessage());
        // a wrong per-tensor checksum names the tensor
        SparseFormatException crc = assertThrows(SparseFormatException.class,
                () -> read(editFirst(zip, "\"crc32\" : ", n -> n ^ 1)));
        assertEquals("tensors.bin", crc.entryName(), crc.getMessage());
        assertTrue(crc.getMessage().contains("tensor '0_W' is corrupt"), crc.getMessage());
    }

    /** Applies {@code change} to the first number after {@code key} in the manifest's tensor list. */
    private static byte[] editFirst(byte[] zip, String key, java.util.function.LongUnaryOperator change)
            throws IOException {
        return ZipSurgery.editManifest(zip, m -> {
            int at = m.indexOf(key, m.indexOf("\"tensors\""));
            if (at < 0) {
                throw new IllegalArgumentException("no " + key + " in " + m);
            }
            int start = at + key.length();
            int end = start;
            while (Character.isDigit(m.charAt(end))) {
                end++;
            }
            return m.substring(0, start) + change.applyAsLong(Long.parseLong(m.substring(start, end)))
                    + m.substring(end);
        });
    }

    @Test
    void modelsThatDoNotTileTheVectorAreRejected() {
        EncodedTensor a = TensorEncoder.encode(new TensorLayout("a", new long[] {4}, 'c', 0), new float[4],
                ValuePrecision.FLOAT32);
        EncodedTensor b = TensorEncoder.encode(new TensorLayout("b", new long[] {4}, 'c', 5), new float[4],
                ValuePrecision.FLOAT32);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparseModel("N", "{}", 9, List.of(a, b)));
        assertTrue(e.getMessage().contains("'b' starts at 5, expected 4"), e.getMessage());
    }

    /** Seeded values with a given fraction of exact zeros. */
    private record SparseSplitRandom(SplittableRandom random) {
        SparseSplitRandom(long seed) {
            this(new SplittableRandom(seed));
        }

        float[] values(int n, double sparsity) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = random.nextDouble() < sparsity ? 0f : (float) random.nextGaussian();
            }
            return v;
        }
    }
}
